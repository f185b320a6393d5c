import type { InstrumentKind, NormalizedSymbol } from '../../model/instrument';
import { normalizeSymbol } from '../../model/instrument';
import type { ChannelKind, UpstreamSubscription } from '../venue-adapter';
import { isArg, isDict } from './okx-protocol';

/*
 * OKX instrument ids (instId) carry base, quote and kind (docs: "Instrument ID, e.g. BTC-USDT",
 * "BTC-USD-SWAP", "BTC-USD-200214"):
 *   BTC-USDT         spot                      → BTC-USDT, kind spot
 *   BTC-USDT-SWAP    perpetual swap            → BTC-USDT, kind perpetual
 *   BTC-USD-220527   expiry future (YYMMDD)    → BTC-USD,  kind future
 * Options (BTC-USD-220527-30000-C) are not mapped. The normalized symbol drops the kind, as the
 * model asks (model/instrument.ts); the Instrument keeps kind and venueSymbol, and a session
 * routes every frame by its instId, never by the normalized symbol.
 */

export interface ParsedInstId {
  readonly symbol: NormalizedSymbol;
  readonly base: string;
  readonly quote: string;
  readonly kind: Extract<InstrumentKind, 'spot' | 'perpetual' | 'future'>;
}

const INST_ID = /^([A-Z0-9]{1,20})-([A-Z0-9]{1,20})(?:-(SWAP|\d{6}))?$/;

/** Base, quote and kind of an OKX instId, or undefined for options and unknown forms. */
export function parseInstId(instId: string): ParsedInstId | undefined {
  const match = INST_ID.exec(instId);
  if (match === null) return undefined;
  const base = match[1] as string;
  const quote = match[2] as string;
  const suffix = match[3];
  const kind = suffix === undefined ? 'spot' : suffix === 'SWAP' ? 'perpetual' : 'future';
  return { symbol: normalizeSymbol(base, quote), base, quote, kind };
}

/** The instId a normalized symbol means when no instrument says otherwise (futures need a date). */
export function defaultInstId(base: string, quote: string, kind: 'spot' | 'perpetual'): string {
  return kind === 'spot' ? `${base}-${quote}` : `${base}-${quote}-SWAP`;
}

/** OKX public channel of a Tickwire channel: 400-level `books`, aggregated `trades`, `tickers` for BBO. */
export type OkxChannel = 'books' | 'trades' | 'tickers';

export function okxChannelOf(channel: ChannelKind): OkxChannel {
  switch (channel) {
    case 'book':
      return 'books';
    case 'trades':
      return 'trades';
    case 'bbo':
      return 'tickers';
  }
}

export function channelKindOf(channel: string): ChannelKind | undefined {
  switch (channel) {
    case 'books':
      return 'book';
    case 'trades':
      return 'trades';
    case 'tickers':
      return 'bbo';
    default:
      return undefined;
  }
}

/**
 * The subscriptions a list of sent OKX requests leaves standing (subscribe adds, unsubscribe
 * removes), e.g. to replay a recorded connection with the subscriptions its recorder made.
 * Channels Tickwire does not map and instIds `symbolOf` cannot name are left out.
 */
export function subscriptionsFromRequests(
  sentFrames: readonly string[],
  symbolOf: (instId: string) => NormalizedSymbol | undefined,
): UpstreamSubscription[] {
  const standing = new Map<string, UpstreamSubscription>();
  for (const text of sentFrames) {
    let request: unknown;
    try {
      request = JSON.parse(text);
    } catch {
      continue;
    }
    if (!isDict(request) || !Array.isArray(request['args'])) continue;
    const op = request['op'];
    for (const arg of request['args'] as unknown[]) {
      if (!isArg(arg)) continue;
      const channel = channelKindOf(arg.channel);
      const symbol = symbolOf(arg.instId);
      if (channel === undefined || symbol === undefined) continue;
      const key = `${channel}:${symbol}`;
      if (op === 'subscribe') standing.set(key, { symbol, channel });
      else if (op === 'unsubscribe') standing.delete(key);
    }
  }
  return [...standing.values()];
}
