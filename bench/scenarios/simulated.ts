/*
 * Input beyond the recordings: the seeded simulated venue (feeds/src/simulator, Binance spot
 * dialect) as one combined-stream connection with depth@100ms and trade streams for 20 symbols,
 * its REST depth snapshot taken when each symbol's first diff arrives (so earlier diffs are
 * buffered, as live). Same seed, same frames, every run.
 */
import { BinanceAdapter } from '../../feeds/src/adapters/binance/binance-adapter';
import { subscriptionsFromStreamUrl } from '../../feeds/src/adapters/binance/binance-symbols';
import { createSimulatedVenue } from '../../feeds/src/simulator';
import type { RecordingEntry } from '../../feeds/src/recording/recording-entry';
import type { RecordedVenue } from './venues';

const SEED = 7;
const GENERATED_SYMBOLS = 18;
const MESSAGES_PER_SECOND = 20_000;
const BOOK_LEVELS = 1000;

function simulatedEntries(seconds: number): RecordingEntry[] {
  const sim = createSimulatedVenue({
    seed: SEED,
    messagesPerSecond: MESSAGES_PER_SECOND,
    generatedSymbols: GENERATED_SYMBOLS,
    bookLevels: BOOK_LEVELS,
  });
  const symbols = sim.config.symbols.map((spec) => spec.symbol);
  const wanted = new Set(symbols.flatMap((s) => [`${s.toLowerCase()}@depth@100ms`, `${s.toLowerCase()}@trade`]));
  const start = sim.config.startTime;
  const entries: RecordingEntry[] = [
    {
      kind: 'open',
      conn: 1,
      time: start,
      url: `wss://stream.binance.com:9443/stream?streams=${[...wanted].join('/')}`,
    },
  ];
  const snapshotted = new Set<string>();
  for (const frame of sim.framesSync()) {
    if (frame.time > start + seconds * 1e6) break;
    if (!wanted.has(frame.stream)) continue;
    entries.push({
      kind: 'recv',
      conn: 1,
      time: frame.time,
      data: `{"stream":"${frame.stream}","data":${frame.data}}`,
    });
    const symbol = frame.stream.split('@')[0]?.toUpperCase() ?? '';
    if (frame.stream.includes('@depth') && !snapshotted.has(symbol)) {
      snapshotted.add(symbol);
      const url = `https://api.binance.com/api/v3/depth?symbol=${symbol}&limit=${BOOK_LEVELS}`;
      const response = sim.http(new URL(url), frame.time);
      if (response !== undefined)
        entries.push({ kind: 'http', url, status: response.status, body: response.body, time: frame.time });
    }
  }
  return entries;
}

export const SIMULATED_BINANCE: RecordedVenue = {
  id: 'simulated binance spot',
  description: `simulated venue seed ${SEED}: ${GENERATED_SYMBOLS + 2} symbols, ${MESSAGES_PER_SECOND} msgs/s, ${BOOK_LEVELS}-level books, depth@100ms diffs (U/u chain) + trade`,
  file: 'simulated (feeds/src/simulator), 20 s',
  // Generated afresh for each row (about 2 s) rather than cached: 120k entries kept alive would
  // slow the garbage collector in every later figure.
  entries: () => Promise.resolve(simulatedEntries(20)),
  sessions: (_entries, sink) => {
    const adapter = new BinanceAdapter({ venue: 'binance' });
    return (_conn, url) =>
      adapter.createSession(
        subscriptionsFromStreamUrl(url, (s) => adapter.symbolOf(s)),
        sink,
      );
  },
  isTrade: (text) => text.includes('@trade"'),
  isBook: (text) => text.includes('@depth'),
};
