/*
 * The recorded venues every scenario shares: the recorded entries (read from ../shared/recordings
 * in place) and Tickwire's own adapter sessions, subscribed as the recorder was and driven by
 * the entries exactly as replayIntoSessions (feeds/src/adapters/replay-session.ts) drives them,
 * but synchronously, so each frame can be timed on its own.
 */
import { BinanceAdapter } from '../../feeds/src/adapters/binance/binance-adapter';
import { subscriptionsFromStreamUrl } from '../../feeds/src/adapters/binance/binance-symbols';
import { BitfinexAdapter } from '../../feeds/src/adapters/bitfinex/bitfinex-adapter';
import { subscriptionsFromSentMessages } from '../../feeds/src/adapters/bitfinex/bitfinex-subscriptions';
import { recordingEntries as bitfinexEntries } from '../../feeds/src/adapters/bitfinex/test-support/bitfinex-frames';
import { CollectingSink } from '../../feeds/src/adapters/collecting-sink';
import { CoinbaseAdapter } from '../../feeds/src/adapters/coinbase/coinbase-adapter';
import {
  exchangeEntries,
  RECORDED_SUBSCRIPTIONS as COINBASE_SUBSCRIPTIONS,
} from '../../feeds/src/adapters/coinbase/test-support/exchange-replay';
import { KrakenAdapter } from '../../feeds/src/adapters/kraken/kraken-adapter';
import { parseRequest } from '../../feeds/src/adapters/kraken/kraken-subscriptions';
import {
  BOOK as KRAKEN_BOOK,
  TRADE as KRAKEN_TRADE,
  entriesOf as krakenEntries,
} from '../../feeds/src/adapters/kraken/test-support/kraken-replay';
import { OkxAdapter } from '../../feeds/src/adapters/okx/okx-adapter';
import { subscriptionsFromRequests } from '../../feeds/src/adapters/okx/okx-symbols';
import {
  RECORDED_INSTRUMENTS as OKX_INSTRUMENTS,
  recordedEntries as okxEntries,
} from '../../feeds/src/adapters/okx/test-support/okx-recording';
import type { SessionSink, UpstreamSubscription, VenueSession } from '../../feeds/src/adapters/venue-adapter';
import { readCryptofeedSession } from '../../feeds/src/recording/cryptofeed-recording';
import type { RecordingEntry } from '../../feeds/src/recording/recording-entry';
import { sharedRecording } from '../../feeds/src/test-support/shared-recordings';
import type { LapTimer } from '../harness/measure';

export type { RecordingEntry };

/** Makes the session for connection `conn` (opened on `url`) of a recording. */
export type SessionFactory = (conn: number, url: string) => VenueSession;

export interface RecordedVenue {
  /** Short id: binance-usdm, kraken, okx, coinbase, bitfinex. */
  readonly id: string;
  /** What the file holds and what the session verifies. */
  readonly description: string;
  readonly file: string;
  readonly entries: () => Promise<RecordingEntry[]>;
  /** A fresh adapter and session factory subscribed like the recorder (its sent frames). */
  readonly sessions: (entries: readonly RecordingEntry[], sink: SessionSink) => SessionFactory;
  /** Trade frames, by their raw text. */
  readonly isTrade: (text: string) => boolean;
  /** Book (snapshot or diff) frames, by their raw text. */
  readonly isBook: (text: string) => boolean;
}

const NO_LAPS: LapTimer = { lap: () => undefined };

/**
 * What replayIntoSessions does, synchronously: `open` starts a session, received text frames
 * and REST responses go to it (REST to the latest session), `close` ends it. After each frame
 * the timer records a lap of 1; other entries (open, REST snapshot) record a lap of 0, so they
 * count in the run's throughput but not in the per-frame percentiles. Returns frames handled.
 */
export function driveSessions(
  entries: readonly RecordingEntry[],
  sessionFor: SessionFactory,
  timer: LapTimer = NO_LAPS,
): number {
  const sessions = new Map<number, VenueSession>();
  let last: VenueSession | undefined;
  let frames = 0;
  for (const entry of entries) {
    switch (entry.kind) {
      case 'open': {
        const session = sessionFor(entry.conn, entry.url);
        sessions.set(entry.conn, session);
        last = session;
        session.open(entry.time);
        timer.lap(0);
        break;
      }
      case 'recv': {
        const session = sessions.get(entry.conn);
        if (session === undefined || typeof entry.data !== 'string') break;
        session.handleFrame(entry.data, entry.time);
        frames++;
        timer.lap(1);
        break;
      }
      case 'http':
        last?.handleHttp(entry.url, entry.status, entry.body, entry.time);
        timer.lap(0);
        break;
      case 'close':
        sessions.get(entry.conn)?.close(entry.time, `connection closed (${String(entry.code)}) ${entry.reason}`);
        sessions.delete(entry.conn);
        break;
      case 'sent':
        break;
    }
  }
  return frames;
}

/** One pass of Tickwire over `entries`: a fresh adapter and session, events kept in a CollectingSink. */
export function runTickwire(venue: RecordedVenue, entries: readonly RecordingEntry[], timer?: LapTimer): number {
  return driveSessions(entries, venue.sessions(entries, new CollectingSink()), timer);
}

/** What one pass emitted, by event type, and how many frames were rejected: the figures' sanity check. */
export function tickwireSummary(venue: RecordedVenue, entries: readonly RecordingEntry[]): string {
  const sink = new CollectingSink();
  driveSessions(entries, venue.sessions(entries, sink));
  const byType = new Map<string, number>();
  for (const event of sink.events) byType.set(event.type, (byType.get(event.type) ?? 0) + 1);
  const events = [...byType].map(([type, n]) => `${n} ${type}`).join(', ');
  return `Tickwire emitted ${events}; ${sink.total('rejected')} frames rejected`;
}

async function collect(source: AsyncIterable<RecordingEntry>): Promise<RecordingEntry[]> {
  const out: RecordingEntry[] = [];
  for await (const entry of source) out.push(entry);
  return out;
}

function sentTexts(entries: readonly RecordingEntry[]): string[] {
  return entries.flatMap((entry) => (entry.kind === 'sent' && typeof entry.data === 'string' ? [entry.data] : []));
}

const BINANCE_WS = 'binance/binance-usdm-futures-ws.ndjson';
const BINANCE_REST = 'binance/binance-usdm-futures-rest-depth.ndjson';

export const BINANCE: RecordedVenue = {
  id: 'binance-usdm',
  description: 'Binance USD-M futures: depth@100ms with pu chain + REST snapshots, aggTrade, bookTicker, kline',
  file: BINANCE_WS,
  entries: () => collect(readCryptofeedSession(sharedRecording(BINANCE_WS), sharedRecording(BINANCE_REST))),
  sessions: (_entries, sink) => {
    const adapter = new BinanceAdapter({ venue: 'binance-usdm' });
    return (_conn, url) =>
      adapter.createSession(
        subscriptionsFromStreamUrl(url, (s) => adapter.symbolOf(s)),
        sink,
      );
  },
  isTrade: (text) => text.includes('@aggTrade"'),
  isBook: (text) => text.includes('@depth'),
};

/** Kraken v1 at the recorded depth, subscribed to what the recorder's subscribe request asked. */
function krakenSessions(entries: readonly RecordingEntry[], sink: SessionSink): SessionFactory {
  const [sent] = sentTexts(entries);
  const request = sent === undefined ? undefined : parseRequest(sent);
  if (request === undefined) throw new Error('kraken recording holds no subscribe request');
  const adapter = new KrakenAdapter({ version: 'v1', bookDepth: 1000 });
  const subscriptions = request.pairs.map((pair): UpstreamSubscription => {
    const symbol = adapter.symbolOf(pair);
    if (symbol === undefined) throw new Error(`unknown pair ${pair}`);
    return { symbol, channel: request.channel };
  });
  return () => adapter.createSession(subscriptions, sink);
}

export const KRAKEN: RecordedVenue = {
  id: 'kraken',
  description: 'Kraken v1 book-1000 (CRC32 checksum after every update)',
  file: KRAKEN_BOOK,
  entries: () => krakenEntries(KRAKEN_BOOK),
  sessions: krakenSessions,
  isTrade: (text) => /,"trade","[^"]+"\]$/.test(text),
  isBook: (text) => text.includes('"book-'),
};

/** Kraken's trades are a separate capture (one connection subscribed to "trade"). */
export const KRAKEN_TRADES: RecordedVenue = {
  ...KRAKEN,
  description: 'Kraken v1 trade channel',
  file: KRAKEN_TRADE,
  entries: () => krakenEntries(KRAKEN_TRADE),
};

export const OKX: RecordedVenue = {
  id: 'okx',
  description: 'OKX v5 public: books (CRC32 checksum, top 25) spot/swap/futures, trades, tickers',
  file: 'okx/okx-v5-public.ndjson',
  entries: okxEntries,
  sessions: (entries, sink) => {
    const adapter = new OkxAdapter({ instruments: OKX_INSTRUMENTS });
    const subscriptions = subscriptionsFromRequests(sentTexts(entries), (instId) => adapter.symbolOf(instId));
    return () => adapter.createSession(subscriptions, sink);
  },
  isTrade: (text) => text.startsWith('{"arg":{"channel":"trades"'),
  isBook: (text) => text.startsWith('{"arg":{"channel":"books"'),
};

export const COINBASE: RecordedVenue = {
  id: 'coinbase',
  description: 'Coinbase Exchange: level2 snapshot + l2update (no sequence on this feed), match, ticker',
  file: 'coinbase/coinbase-exchange-ws.ndjson',
  entries: exchangeEntries,
  sessions: (_entries, sink) => {
    const adapter = new CoinbaseAdapter({ feed: 'exchange', heartbeats: false });
    return () => adapter.createSession(COINBASE_SUBSCRIPTIONS, sink);
  },
  isTrade: (text) => text.startsWith('{"type":"match"') || text.startsWith('{"type":"last_match"'),
  isBook: (text) => text.startsWith('{"type":"l2update"') || text.startsWith('{"type":"snapshot"'),
};

export const BITFINEX: RecordedVenue = {
  id: 'bitfinex',
  description: 'Bitfinex v2: book P0 len 100 and ticker, SEQ_ALL sequence check; numbers are bare JSON numbers',
  file: 'bitfinex/bitfinex-v2-ws.ndjson',
  entries: bitfinexEntries,
  sessions: (entries, sink) => {
    const adapter = new BitfinexAdapter();
    const subscriptions = subscriptionsFromSentMessages(sentTexts(entries), (s) => adapter.symbolOf(s));
    return () => adapter.createSession(subscriptions, sink);
  },
  isTrade: (text) => text.includes('"te"') || text.includes('"tu"'),
  isBook: () => false,
};

/** Received text frames, in order. */
export function receivedTexts(entries: readonly RecordingEntry[]): string[] {
  return entries.flatMap((entry) => (entry.kind === 'recv' && typeof entry.data === 'string' ? [entry.data] : []));
}

/**
 * The recording with only the received frames that `keep` accepts, plus every frame that is neither
 * a trade nor a book frame (subscription acks, status, heartbeats): what a session subscribed to
 * only that channel would have received. Opens and sent frames stay; REST responses (book
 * snapshots) only with `rest`.
 */
export function onlyFrames(
  venue: RecordedVenue,
  entries: readonly RecordingEntry[],
  keep: (text: string) => boolean,
  { rest }: { rest: boolean },
): RecordingEntry[] {
  return entries.filter((entry) => {
    if (entry.kind === 'http') return rest;
    if (entry.kind !== 'recv' || typeof entry.data !== 'string') return true;
    const text = entry.data;
    if (keep(text)) return true;
    return !venue.isTrade(text) && !venue.isBook(text) && !isOtherData(text);
  });
}

/** Data frames of other channels (tickers, bookTicker, kline) that a channel-only session would not get. */
function isOtherData(text: string): boolean {
  return (
    text.includes('@bookTicker"') ||
    text.includes('@kline') ||
    text.startsWith('{"arg":{"channel":"tickers"') ||
    text.startsWith('{"type":"ticker"')
  );
}
