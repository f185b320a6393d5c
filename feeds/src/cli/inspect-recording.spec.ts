import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrameEntry, RecordingEntry } from '../recording/recording-entry';
import { RecordingReader } from '../recording/recording-reader';
import { RecordingWriter } from '../recording/recording-writer';
import { openRecordingEntries } from '../replay/open-recording';
import { SHARED_RECORDINGS, sharedRecording } from '../test-support/shared-recordings';
import { formatInspection, inspectRecording } from './inspect-recording';

const WORKSPACE = resolve(__dirname, '../../..');
const SPOT = 'binance/binance-spot-ws.ndjson';

async function collect(path: string): Promise<RecordingEntry[]> {
  const out: RecordingEntry[] = [];
  for await (const entry of await openRecordingEntries(path)) out.push(entry);
  return out;
}

async function* fromArray(entries: RecordingEntry[]): AsyncGenerator<RecordingEntry> {
  await Promise.resolve();
  yield* entries;
}

describe('tickwire inspect', () => {
  let directory: string;
  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'tw-inspect-'));
  });
  afterAll(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it('counts streams and finds no gap in the Binance spot capture (as its SOURCE.md says)', async () => {
    const entries = await collect(sharedRecording(SPOT));
    const report = await inspectRecording('spot', null, fromArray(entries));
    expect(report.byKind).toEqual({ open: 1, recv: 265, http: 4 });
    expect(report.streams.find((stream) => stream.stream === 'nknusdt@depth@100ms')?.frames).toBe(150);
    // 177 depth updates over 4 symbols: every one after the first of its stream is checked.
    expect(report.sequenceFramesChecked).toBe(173);
    expect(report.sequenceGaps).toEqual([]);
    expect(report.spanSeconds).toBeGreaterThan(30);
    expect(report.damage).toBeNull();
  });

  it('reports a dropped depth update as a gap with the expected and received ids', async () => {
    const entries = await collect(sharedRecording(SPOT));
    const depth = entries.filter(
      (entry): entry is FrameEntry =>
        entry.kind === 'recv' && String(entry.data).includes('"stream":"nknusdt@depth@100ms"'),
    );
    const dropped = depth[40]!;
    const droppedData = JSON.parse(String(dropped.data)) as { data: { U: number } };
    const report = await inspectRecording('spot', null, fromArray(entries.filter((entry) => entry !== dropped)));
    expect(report.sequenceGaps).toHaveLength(1);
    expect(report.sequenceGaps[0]).toMatchObject({ track: 'nknusdt@depth@100ms', expected: droppedData.data.U });
    expect(formatInspection(report)).toContain('1 gaps');
  });

  it('finds the futures pu chain and Bitfinex SEQ_ALL unbroken', async () => {
    const futures = await inspectRecording(
      'futures',
      null,
      fromArray(await collect(sharedRecording('binance/binance-usdm-futures-ws.ndjson'))),
    );
    expect(futures.sequenceFramesChecked).toBe(760);
    expect(futures.sequenceGaps).toEqual([]);
    const bitfinex = await inspectRecording(
      'bitfinex',
      null,
      fromArray(await collect(sharedRecording('bitfinex/bitfinex-v2-ws.ndjson'))),
    );
    // seq 1 → 1670 with no gap (bitfinex/SOURCE.md).
    expect(bitfinex.sequenceFramesChecked).toBe(1669);
    expect(bitfinex.sequenceGaps).toEqual([]);
  });

  it('inspects every capture in ../shared/recordings without damage, every frame counted', async () => {
    const files = readdirSync(SHARED_RECORDINGS, { recursive: true, encoding: 'utf8' }).filter((f) =>
      f.endsWith('.ndjson'),
    );
    expect(files.length).toBeGreaterThanOrEqual(12);
    for (const file of files) {
      const path = join(SHARED_RECORDINGS, file);
      const lines = readFileSync(path, 'utf8')
        .split('\n')
        .filter((line) => line.length > 0).length;
      const report = await inspectRecording(file, null, fromArray(await collect(path)));
      expect(report.damage, file).toBeNull();
      // A -ws capture is merged with its REST companion, so it holds at least its own lines.
      expect(report.entries, file).toBeGreaterThanOrEqual(lines);
      expect(report.sequenceGaps, file).toEqual([]);
    }
  });

  it('reports silences and damage without throwing', async () => {
    const T = 1_700_000_000_000_000;
    const report = await inspectRecording(
      'quiet',
      null,
      (async function* (): AsyncGenerator<RecordingEntry> {
        await Promise.resolve();
        yield { kind: 'open', time: T, conn: 1, url: 'wss://x' };
        yield { kind: 'recv', time: T + 1_000_000, conn: 1, data: 'pong' };
        yield { kind: 'recv', time: T + 9_000_000, conn: 1, data: '{"event":"heartbeat"}' };
        throw new Error('file ends inside a block header');
      })(),
      { silenceMicros: 5_000_000 },
    );
    expect(report.silences).toEqual([{ conn: 1, from: T + 1_000_000, to: T + 9_000_000, seconds: 8 }]);
    expect(report.nonJsonFrames).toBe(1);
    expect(report.damage).toBe('file ends inside a block header');
  });

  it('runs as a command on a capture and on a damaged Tickwire recording', async () => {
    const writer = new RecordingWriter({ directory, venue: 'binance', streams: ['nknusdt@depth@100ms'] });
    for (const entry of await collect(sharedRecording(SPOT))) writer.write(entry);
    const { files } = await writer.close();
    const recording = files[0]!;
    expect((await RecordingReader.open(recording)).header.venue).toBe('binance');

    const run = (...args: string[]) =>
      spawnSync(process.execPath, [join(WORKSPACE, 'scripts/tickwire.mjs'), 'inspect', ...args], { encoding: 'utf8' });

    const ok = run('--json', recording);
    expect(ok.status).toBe(0);
    const [report] = JSON.parse(ok.stdout) as [{ entries: number; header: { venue: string } }];
    expect(report.entries).toBe(270);
    expect(report.header.venue).toBe('binance');

    const damaged = join(directory, 'damaged.twrec.gz');
    const bytes = readFileSync(recording);
    writeFileSync(damaged, bytes.subarray(0, bytes.length - 10));
    const bad = run(damaged);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/DAMAGED: .*truncated at byte/);

    const missing = run(join(directory, 'nope.ndjson'));
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('no such file');
  }, 30_000);
});
