/*
 * Adapter throughput on the real captures: recorded frames (and REST snapshots) → the venue's
 * session (parse, book sync, checksum/sequence verification, normalized events), warm, median of
 * `--passes` passes. JSON.parse of the same frames is printed beside it as the floor.
 * Run: npx tsx bench/adapter-parse.ts [--passes 15]
 */
import { cpus } from 'node:os';
import {
  entriesOf as krakenEntries,
  BOOK,
  replay as replayKraken,
} from '../feeds/src/adapters/kraken/test-support/kraken-replay';
import {
  recordedEntries as okxEntries,
  replay as replayOkx,
} from '../feeds/src/adapters/okx/test-support/okx-recording';
import { exchangeEntries, replayExchange } from '../feeds/src/adapters/coinbase/test-support/exchange-replay';
import {
  recordingEntries as bitfinexEntries,
  replayRecording as replayBitfinex,
} from '../feeds/src/adapters/bitfinex/test-support/bitfinex-frames';
import { BinanceAdapter } from '../feeds/src/adapters/binance/binance-adapter';
import { subscriptionsFromStreamUrl } from '../feeds/src/adapters/binance/binance-symbols';
import { CollectingSink } from '../feeds/src/adapters/collecting-sink';
import { replayIntoSessions } from '../feeds/src/adapters/replay-session';
import { readCryptofeedSession } from '../feeds/src/recording/cryptofeed-recording';
import type { RecordingEntry } from '../feeds/src/recording/recording-entry';
import { sharedRecording } from '../feeds/src/test-support/shared-recordings';

function passesArg(): number {
  const index = process.argv.indexOf('--passes');
  return index === -1 ? 15 : Number(process.argv[index + 1]);
}

async function binanceEntries(): Promise<RecordingEntry[]> {
  const out: RecordingEntry[] = [];
  const source = readCryptofeedSession(
    sharedRecording('binance/binance-usdm-futures-ws.ndjson'),
    sharedRecording('binance/binance-usdm-futures-rest-depth.ndjson'),
  );
  for await (const entry of source) out.push(entry);
  return out;
}

async function replayBinance(entries: readonly RecordingEntry[]): Promise<void> {
  const adapter = new BinanceAdapter({ venue: 'binance-usdm' });
  await replayIntoSessions(entries, (_conn, url) =>
    adapter.createSession(
      subscriptionsFromStreamUrl(url, (s) => adapter.symbolOf(s)),
      new CollectingSink(),
    ),
  );
}

interface Case {
  readonly name: string;
  readonly entries: () => Promise<RecordingEntry[]>;
  readonly run: (entries: readonly RecordingEntry[]) => Promise<unknown>;
}

const CASES: Case[] = [
  { name: 'binance-usdm (depth pu chain, aggTrade, bookTicker)', entries: binanceEntries, run: replayBinance },
  { name: 'kraken v1 book1000 (CRC32 every update)', entries: () => krakenEntries(BOOK), run: (e) => replayKraken(e) },
  { name: 'okx v5 (books checksum, trades, tickers)', entries: okxEntries, run: (e) => replayOkx(e) },
  { name: 'coinbase exchange (level2, match, ticker)', entries: exchangeEntries, run: (e) => replayExchange(e) },
  { name: 'bitfinex v2 (book, SEQ_ALL)', entries: bitfinexEntries, run: (e) => replayBitfinex(e) },
];

async function median(run: () => Promise<unknown>, passes: number): Promise<number> {
  for (let i = 0; i < 3; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < passes; i++) {
    const started = process.hrtime.bigint();
    await run();
    times.push(Number(process.hrtime.bigint() - started) / 1e9);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? Number.NaN;
}

async function main(): Promise<void> {
  const passes = passesArg();
  console.log(
    `node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores; median of ${passes}`,
  );
  console.log('venue | frames | adapter frames/s | JSON.parse frames/s | ratio');
  for (const item of CASES) {
    const entries = await item.entries();
    const frames = entries.flatMap((e) => (e.kind === 'recv' && typeof e.data === 'string' ? [e.data] : []));
    const adapter = await median(() => item.run(entries), passes);
    const parse = await median(async () => {
      for (const frame of frames) JSON.parse(frame);
      await Promise.resolve();
    }, passes);
    const ours = frames.length / adapter;
    const floor = frames.length / parse;
    console.log(
      `${item.name} | ${frames.length} | ${Math.round(ours)} | ${Math.round(floor)} | ${(ours / floor).toFixed(2)}`,
    );
  }
}

void main();
