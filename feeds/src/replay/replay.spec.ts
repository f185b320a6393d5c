import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { batchTrades } from '../conflation/batch-trades';
import { latestByKey } from '../conflation/latest-by-key';
import type { RecordingEntry } from '../recording/recording-entry';
import { RecordingWriter } from '../recording/recording-writer';
import { sharedRecording } from '../test-support/shared-recordings';
import { openRecordingEntries } from './open-recording';
import { type PacingClock, parseReplaySpeed, replay, type ReplaySpeed, ReplaySpeedError } from './replay';
import { RecordingTimeScheduler } from './recording-time-scheduler';

const BINANCE_FUTURES = 'binance/binance-usdm-futures-ws.ndjson';

/** A pacing clock that never waits: sleeping just moves its time forward. */
function fakeClock(): PacingClock & { slept: number } {
  let now = 0;
  const clock = {
    slept: 0,
    now: () => now,
    sleep: (milliseconds: number) => {
      now += milliseconds;
      clock.slept += milliseconds;
      return Promise.resolve();
    },
  };
  return clock;
}

interface StreamFrame {
  readonly time: number;
  readonly stream: string;
  readonly text: string;
}

/**
 * A time-dependent pipeline over replayed Binance frames: the latest frame per stream every
 * 100 ms and aggTrade batches every 250 ms, each output stamped with the scheduler's time.
 * Returns the SHA-256 of everything it emitted.
 */
async function pipelineHash(speed: ReplaySpeed, clock?: PacingClock): Promise<{ hash: string; outputs: number }> {
  const source = await openRecordingEntries(sharedRecording(BINANCE_FUTURES));
  const entries: RecordingEntry[] = [];
  for await (const entry of source) entries.push(entry);
  const scheduler = new RecordingTimeScheduler(entries[0]!.time);
  const frames = new Subject<StreamFrame>();
  const hash = createHash('sha256');
  let outputs = 0;
  const stamp = (label: string, payload: string): void => {
    outputs++;
    hash.update(`${scheduler.nowMicros} ${label} ${payload}\n`);
  };
  frames.pipe(latestByKey((frame) => frame.stream, 100, scheduler)).subscribe((frame) => {
    stamp('latest', `${frame.stream} ${frame.time}`);
  });
  frames.pipe(batchTrades(250, undefined, scheduler)).subscribe((batch) => {
    const trades = batch.filter((frame) => frame.stream.endsWith('@aggTrade'));
    if (trades.length > 0) stamp('batch', trades.map((frame) => frame.text).join('|'));
  });
  async function* again(): AsyncGenerator<RecordingEntry> {
    await Promise.resolve();
    yield* entries;
  }
  const last = entries[entries.length - 1]!.time;
  for await (const entry of replay(again(), { speed, scheduler, clock, to: last + 1_000_000 })) {
    if (entry.kind !== 'recv' || typeof entry.data !== 'string') continue;
    const stream = (JSON.parse(entry.data) as { stream: string }).stream;
    frames.next({ time: entry.time, stream, text: entry.data });
  }
  frames.complete();
  return { hash: hash.digest('hex'), outputs };
}

describe('replay', () => {
  it('gives byte-identical time-conflated output at ×1 (fake clock), ×7 and max speed', async () => {
    const realTimeClock = fakeClock();
    const atRealTime = await pipelineHash(1, realTimeClock);
    const fastClock = fakeClock();
    const atSevenTimes = await pipelineHash(7, fastClock);
    const atMax = await pipelineHash('max');
    expect(atRealTime.outputs).toBeGreaterThan(200);
    expect(atSevenTimes.hash).toBe(atRealTime.hash);
    expect(atMax.hash).toBe(atRealTime.hash);
    // Paced to the recording: about its 31 s span at ×1, a seventh of it at ×7.
    expect(realTimeClock.slept).toBeGreaterThan(29_000);
    expect(realTimeClock.slept).toBeLessThan(32_000);
    expect(fastClock.slept).toBeCloseTo(realTimeClock.slept / 7, -2);
  });

  it('replays from/to any time, delivering exactly the entries inside the range', async () => {
    const all: RecordingEntry[] = [];
    for await (const entry of await openRecordingEntries(sharedRecording(BINANCE_FUTURES))) all.push(entry);
    const from = all[400]!.time;
    const to = all[900]!.time;
    const ranged: RecordingEntry[] = [];
    for await (const entry of replay(await openRecordingEntries(sharedRecording(BINANCE_FUTURES), { from, to }), {
      speed: 'max',
    })) {
      ranged.push(entry);
    }
    expect(ranged).toEqual(all.filter((entry) => entry.time >= from && entry.time <= to));
  });

  it('seeks inside a Tickwire recording and replays the same entries as the original capture', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'tw-replay-'));
    try {
      const original: RecordingEntry[] = [];
      for await (const entry of await openRecordingEntries(sharedRecording('kraken/kraken-v1-book1000.ndjson'))) {
        original.push(entry);
      }
      const writer = new RecordingWriter({
        directory,
        venue: 'kraken',
        streams: ['book-1000'],
        maxBlockBytes: 64 * 1024,
      });
      for (const entry of original) writer.write(entry);
      const { files } = await writer.close();
      const from = original[3000]!.time;
      const seeked: RecordingEntry[] = [];
      for await (const entry of await openRecordingEntries(files[0]!, { from })) seeked.push(entry);
      expect(seeked).toEqual(original.filter((entry) => entry.time >= from));
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('advances the recording-time scheduler before each entry is delivered', async () => {
    const scheduler = new RecordingTimeScheduler(1_000_000);
    const fired: number[] = [];
    scheduler.schedule(() => fired.push(scheduler.nowMicros), 5); // due at 1.005 s
    const entries: RecordingEntry[] = [
      { kind: 'http', time: 1_004_000, url: 'a', status: 200, body: '' },
      { kind: 'http', time: 1_006_000, url: 'b', status: 200, body: '' },
    ];
    async function* source(): AsyncGenerator<RecordingEntry> {
      await Promise.resolve();
      yield* entries;
    }
    const seen: { time: number; fired: number }[] = [];
    for await (const entry of replay(source(), { speed: 'max', scheduler })) {
      seen.push({ time: entry.time, fired: fired.length });
    }
    expect(fired).toEqual([1_005_000]);
    expect(seen).toEqual([
      { time: 1_004_000, fired: 0 },
      { time: 1_006_000, fired: 1 },
    ]);
  });

  it('parses speeds and refuses nonsense', async () => {
    expect(parseReplaySpeed('max')).toBe('max');
    expect(parseReplaySpeed('10')).toBe(10);
    expect(parseReplaySpeed('x2.5')).toBe(2.5);
    for (const bad of ['0', '-1', 'fast', '']) expect(() => parseReplaySpeed(bad)).toThrow(ReplaySpeedError);
    const run = replay((async function* () {})(), { speed: 0 });
    await expect(run.next()).rejects.toThrow(ReplaySpeedError);
  });
});
