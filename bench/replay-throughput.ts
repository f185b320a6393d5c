/*
 * Replay throughput at max speed: entries/s and received frames/s read from
 *   (a) the NDJSON captures in ../shared/recordings (as tests replay them), and
 *   (b) the same traffic written once to Tickwire's blocked-gzip format in a temp folder
 *       (inflate + CRC check + line decode), then deleted.
 * Each file is replayed `--passes` times after a warm-up pass; the median pass is reported.
 * Run: npx tsx bench/replay-throughput.ts [--passes 7] [files...]
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { cpus } from 'node:os';
import { openRecordingEntries } from '../feeds/src/replay/open-recording';
import { replay } from '../feeds/src/replay/replay';
import { RecordingWriter } from '../feeds/src/recording/recording-writer';

const SHARED = resolve(__dirname, '../../shared/recordings');
const DEFAULT_FILES = [
  'coinbase/coinbase-exchange-ws.ndjson',
  'kraken/kraken-v1-book1000.ndjson',
  'bybit/bybit-v1-usdt-perp-realtime_public.ndjson',
  'binance/binance-usdm-futures-ws.ndjson',
];

function argValue(name: string, fallback: number): number {
  const index = process.argv.indexOf(name);
  return index === -1 ? fallback : Number(process.argv[index + 1]);
}

async function pass(path: string): Promise<{ seconds: number; entries: number; frames: number }> {
  const started = process.hrtime.bigint();
  let entries = 0;
  let frames = 0;
  for await (const entry of replay(await openRecordingEntries(path), { speed: 'max' })) {
    entries++;
    if (entry.kind === 'recv') frames++;
  }
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, entries, frames };
}

async function measure(
  path: string,
  passes: number,
): Promise<{ entriesPerSecond: number; framesPerSecond: number; frames: number }> {
  await pass(path);
  const runs = [];
  for (let i = 0; i < passes; i++) runs.push(await pass(path));
  runs.sort((a, b) => a.seconds - b.seconds);
  const median = runs[Math.floor(runs.length / 2)];
  if (median === undefined) throw new Error('--passes must be at least 1');
  return {
    entriesPerSecond: median.entries / median.seconds,
    framesPerSecond: median.frames / median.seconds,
    frames: median.frames,
  };
}

async function toTickwireFormat(path: string, directory: string): Promise<string> {
  const writer = new RecordingWriter({ directory, venue: basename(path).split('-')[0] ?? 'unknown', streams: [] });
  for await (const entry of await openRecordingEntries(path)) writer.write(entry);
  const [file] = (await writer.close()).files;
  if (file === undefined) throw new Error(`${path} holds no entries`);
  return file;
}

async function main(): Promise<void> {
  const passes = argValue('--passes', 7);
  const named = process.argv.slice(2).filter((arg, i, all) => !arg.startsWith('--') && all[i - 1] !== '--passes');
  const files = named.length > 0 ? named : DEFAULT_FILES.map((file) => join(SHARED, file));
  console.log(
    `node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores; median of ${passes} passes`,
  );
  console.log('file | bytes | frames | NDJSON capture frames/s | Tickwire .twrec.gz frames/s');
  const directory = mkdtempSync(join(tmpdir(), 'tw-bench-replay-'));
  try {
    for (const file of files) {
      const capture = await measure(file, passes);
      const converted = await measure(await toTickwireFormat(file, directory), passes);
      console.log(
        `${basename(file)} | ${statSync(file).size} | ${capture.frames} | ${Math.round(capture.framesPerSecond)} | ${Math.round(converted.framesPerSecond)}`,
      );
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

void main();
