/*
 * The recorded venues every scenario shares: the recorded entries (read from ../shared/recordings
 * in place) and Tickwire's own adapter session driven by them exactly as the gateway drives it.
 */
import { BinanceAdapter } from '../../feeds/src/adapters/binance/binance-adapter';
import { subscriptionsFromStreamUrl } from '../../feeds/src/adapters/binance/binance-symbols';
import {
  recordingEntries as bitfinexEntries,
  replayRecording as replayBitfinex,
} from '../../feeds/src/adapters/bitfinex/test-support/bitfinex-frames';
import { CollectingSink } from '../../feeds/src/adapters/collecting-sink';
import { exchangeEntries, replayExchange } from '../../feeds/src/adapters/coinbase/test-support/exchange-replay';
import {
  BOOK as KRAKEN_BOOK,
  TRADE as KRAKEN_TRADE,
  entriesOf as krakenEntries,
  replay as replayKraken,
} from '../../feeds/src/adapters/kraken/test-support/kraken-replay';
import {
  recordedEntries as okxEntries,
  replay as replayOkx,
} from '../../feeds/src/adapters/okx/test-support/okx-recording';
import { replayIntoSessions } from '../../feeds/src/adapters/replay-session';
import { readCryptofeedSession } from '../../feeds/src/recording/cryptofeed-recording';
import type { RecordingEntry } from '../../feeds/src/recording/recording-entry';
import { sharedRecording } from '../../feeds/src/test-support/shared-recordings';

export type { RecordingEntry };

export interface RecordedVenue {
  /** Short id: binance-usdm, kraken, okx, coinbase, bitfinex. */
  readonly id: string;
  /** What the file holds and what the session verifies. */
  readonly description: string;
  readonly file: string;
  readonly entries: () => Promise<RecordingEntry[]>;
  /** Tickwire's adapter session over `entries` (fresh session each call); resolves when done. */
  readonly tickwire: (entries: readonly RecordingEntry[]) => Promise<unknown>;
  /** Trade frames, by their raw text. */
  readonly isTrade: (text: string) => boolean;
  /** Book (snapshot or diff) frames, by their raw text. */
  readonly isBook: (text: string) => boolean;
}

async function collect(source: AsyncIterable<RecordingEntry>): Promise<RecordingEntry[]> {
  const out: RecordingEntry[] = [];
  for await (const entry of source) out.push(entry);
  return out;
}

const BINANCE_WS = 'binance/binance-usdm-futures-ws.ndjson';
const BINANCE_REST = 'binance/binance-usdm-futures-rest-depth.ndjson';

async function replayBinance(entries: readonly RecordingEntry[]): Promise<void> {
  const adapter = new BinanceAdapter({ venue: 'binance-usdm' });
  await replayIntoSessions(entries, (_conn, url) =>
    adapter.createSession(
      subscriptionsFromStreamUrl(url, (s) => adapter.symbolOf(s)),
      new CollectingSink(),
    ),
  );
}

export const BINANCE: RecordedVenue = {
  id: 'binance-usdm',
  description: 'Binance USD-M futures: depth@100ms with pu chain + REST snapshots, aggTrade, bookTicker, kline',
  file: BINANCE_WS,
  entries: () => collect(readCryptofeedSession(sharedRecording(BINANCE_WS), sharedRecording(BINANCE_REST))),
  tickwire: replayBinance,
  isTrade: (text) => text.includes('@aggTrade"'),
  isBook: (text) => text.includes('@depth'),
};

export const KRAKEN: RecordedVenue = {
  id: 'kraken',
  description: 'Kraken v1 book-1000 (CRC32 checksum after every update)',
  file: KRAKEN_BOOK,
  entries: () => krakenEntries(KRAKEN_BOOK),
  tickwire: (entries) => replayKraken(entries),
  isTrade: (text) => /,"trade","[^"]+"\]$/.test(text),
  isBook: (text) => text.includes('"book-'),
};

/** Kraken's trades are a separate capture (one connection subscribed to "trade"). */
export const KRAKEN_TRADES: RecordedVenue = {
  ...KRAKEN,
  id: 'kraken',
  description: 'Kraken v1 trade channel',
  file: KRAKEN_TRADE,
  entries: () => krakenEntries(KRAKEN_TRADE),
};

export const OKX: RecordedVenue = {
  id: 'okx',
  description: 'OKX v5 public: books (CRC32 checksum, top 25) spot/swap/futures, trades, tickers',
  file: 'okx/okx-v5-public.ndjson',
  entries: okxEntries,
  tickwire: (entries) => replayOkx(entries),
  isTrade: (text) => text.startsWith('{"arg":{"channel":"trades"'),
  isBook: (text) => text.startsWith('{"arg":{"channel":"books"'),
};

export const COINBASE: RecordedVenue = {
  id: 'coinbase',
  description: 'Coinbase Exchange: level2 snapshot + l2update (no sequence on this feed), match, ticker',
  file: 'coinbase/coinbase-exchange-ws.ndjson',
  entries: exchangeEntries,
  tickwire: (entries) => replayExchange(entries),
  isTrade: (text) => text.startsWith('{"type":"match"') || text.startsWith('{"type":"last_match"'),
  isBook: (text) => text.startsWith('{"type":"l2update"') || text.startsWith('{"type":"snapshot"'),
};

export const BITFINEX: RecordedVenue = {
  id: 'bitfinex',
  description: 'Bitfinex v2: book P0 len 100 and ticker, SEQ_ALL sequence check; numbers are bare JSON numbers',
  file: 'bitfinex/bitfinex-v2-ws.ndjson',
  entries: bitfinexEntries,
  tickwire: (entries) => replayBitfinex(entries),
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
