import type { FeedStatusEvent, MarketEvent } from '../../../model/events';
import { CollectingSink } from '../../collecting-sink';
import type { UpstreamSubscription } from '../../venue-adapter';
import { AlpacaAdapter, type AlpacaAdapterOptions } from '../alpaca-adapter';
import { AlpacaCredentials } from '../alpaca-credentials';
import type { AlpacaSession } from '../alpaca-session';
import { AUTHENTICATED, CONNECTED } from './alpaca-doc-frames';

export const KEY_ID = 'AKTESTKEY0001';
export const SECRET = 'test-secret-do-not-log-9f3c';

/** 2023-04-06T11:54:20Z: the receive clock of the doc's SIP example session (07:54 New York). */
export const T0 = Date.UTC(2023, 3, 6, 11, 54, 20) * 1000;

export interface Driven {
  readonly adapter: AlpacaAdapter;
  readonly session: AlpacaSession;
  readonly sink: CollectingSink;
  /** Feeds a frame at T0 + n s (n counts the frames fed). */
  readonly feed: (frame: string) => void;
  readonly statuses: () => FeedStatusEvent[];
}

/** A session opened at T0 on an adapter with test credentials, driven frame by frame. */
export function drive(subscriptions: readonly UpstreamSubscription[], options: AlpacaAdapterOptions = {}): Driven {
  const adapter = new AlpacaAdapter({ credentials: new AlpacaCredentials(KEY_ID, SECRET), ...options });
  const sink = new CollectingSink();
  const session = adapter.createSession(subscriptions, sink);
  session.open(T0);
  let n = 0;
  return {
    adapter,
    session,
    sink,
    feed: (frame: string): void => {
      session.handleFrame(frame, T0 + ++n * 1_000_000);
    },
    statuses: () => sink.events.filter((event): event is FeedStatusEvent => event.type === 'status'),
  };
}

/** A driven session that has been greeted, authenticated and has answered the subscription. */
export function authenticated(
  subscriptions: readonly UpstreamSubscription[],
  options: AlpacaAdapterOptions = {},
): Driven {
  const driven = drive(subscriptions, options);
  driven.feed(CONNECTED);
  driven.feed(AUTHENTICATED);
  return driven;
}

/** Status events as [symbol, state, reason] triples, for exact comparisons. */
export function statusTriples(events: readonly MarketEvent[]): [string | null, string, string][] {
  return events
    .filter((event): event is FeedStatusEvent => event.type === 'status')
    .map((event) => [event.symbol, event.state, event.reason]);
}

export function micros(iso: string, extraMicros = 0): number {
  return Date.parse(iso) * 1000 + extraMicros;
}
