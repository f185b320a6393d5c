import type { MarketEvent } from '../../../model/events';
import type { FrameEntry, RecordingEntry } from '../../../recording/recording-entry';
import { readCryptofeedFile } from '../../../recording/cryptofeed-recording';
import { sharedRecording } from '../../../test-support/shared-recordings';
import { CollectingSink } from '../../collecting-sink';
import { replayIntoSessions } from '../../replay-session';
import type { ChannelKind, UpstreamSubscription } from '../../venue-adapter';
import { CoinbaseAdapter, type CoinbaseAdapterOptions } from '../coinbase-adapter';
import type { CoinbaseExchangeSession } from '../exchange-session';

export const EXCHANGE_RECORDING = 'coinbase/coinbase-exchange-ws.ndjson';

/** The products the recorded session subscribed, in the order of its subscribe messages. */
export const RECORDED_PRODUCTS = [
  'SKL-USD',
  'SKL-BTC',
  'BAND-GBP',
  'NMR-EUR',
  'BAND-BTC',
  'YFI-BTC',
  'DASH-BTC',
  'NU-GBP',
  'CRV-EUR',
  'SKL-GBP',
] as const;

/** What the recorder subscribed: level2, ticker and matches for every product. */
export const RECORDED_SUBSCRIPTIONS: UpstreamSubscription[] = (['book', 'bbo', 'trades'] as ChannelKind[]).flatMap(
  (channel) => RECORDED_PRODUCTS.map((symbol) => ({ symbol, channel })),
);

let cached: RecordingEntry[] | undefined;

/** Every entry of the Exchange capture (read once per test file). */
export async function exchangeEntries(): Promise<RecordingEntry[]> {
  if (cached !== undefined) return cached;
  const out: RecordingEntry[] = [];
  for await (const entry of readCryptofeedFile(sharedRecording(EXCHANGE_RECORDING))) out.push(entry);
  cached = out;
  return out;
}

export interface ExchangeRun {
  readonly sink: CollectingSink;
  readonly session: CoinbaseExchangeSession;
}

/** Replays entries into a fresh Exchange session subscribed like the recorder (heartbeats off). */
export async function replayExchange(
  entries: readonly RecordingEntry[],
  options: Partial<CoinbaseAdapterOptions> = {},
): Promise<ExchangeRun> {
  const adapter = new CoinbaseAdapter({ feed: 'exchange', heartbeats: false, ...options });
  const sink = new CollectingSink();
  let session: CoinbaseExchangeSession | undefined;
  await replayIntoSessions(entries, () => {
    const created = adapter.createSession(RECORDED_SUBSCRIPTIONS, sink);
    if (!('sequences' in created)) throw new Error('expected an Exchange session');
    session = created;
    return created;
  });
  if (session === undefined) throw new Error('recording opened no connection');
  return { sink, session };
}

/** Received frames whose text matches, in order. */
export function receivedFrames(entries: readonly RecordingEntry[], test: (text: string) => boolean): FrameEntry[] {
  return entries.filter(
    (entry): entry is FrameEntry => entry.kind === 'recv' && typeof entry.data === 'string' && test(entry.data),
  );
}

export function eventsOf<T extends MarketEvent['type']>(
  events: readonly MarketEvent[],
  type: T,
  symbol?: string,
): Extract<MarketEvent, { type: T }>[] {
  return events.filter(
    (event): event is Extract<MarketEvent, { type: T }> =>
      event.type === type && (symbol === undefined || event.symbol === symbol),
  );
}
