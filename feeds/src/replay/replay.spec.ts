import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { filter, type SchedulerAction, Subject } from 'rxjs';
import { BinanceAdapter } from '../adapters/binance/binance-adapter';
import { subscriptionsFromStreamUrl } from '../adapters/binance/binance-symbols';
import { CollectingSink } from '../adapters/collecting-sink';
import { replayIntoSessions } from '../adapters/replay-session';
import { MultiIntervalCandleBuilder } from '../candles';
import { coalesceBookDeltas } from '../conflation/coalesce-book-deltas';
import { sampleTopN } from '../conflation/sample-top-n';
import type { BookDeltaEvent, BookSnapshotEvent, MarketEvent } from '../model/events';

type BookEvent = BookSnapshotEvent | BookDeltaEvent;
import { describe, expect, it } from 'vitest';
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

/**
 * The live pipeline over a replayed capture: recorded frames and REST snapshots go through the
 * Binance adapter (book sync), trades into 1s/1m candles closed by the recording clock, BBO
 * conflated per symbol every 100 ms, book deltas coalesced every 250 ms, top-5 sampled every
 * 500 ms. Everything emitted is serialized, stamped with the scheduler's time, and hashed.
 */
async function pipelineHash(speed: ReplaySpeed, clock?: PacingClock): Promise<{ hash: string; outputs: number }> {
  const entries: RecordingEntry[] = [];
  for await (const entry of await openRecordingEntries(sharedRecording(BINANCE_FUTURES))) entries.push(entry);
  const scheduler = new RecordingTimeScheduler(entries[0]!.time);
  const hash = createHash('sha256');
  let outputs = 0;
  const stamp = (payload: unknown): void => {
    outputs++;
    hash.update(`${scheduler.nowMicros} ${JSON.stringify(payload)}\n`);
  };
  const events = new Subject<MarketEvent>();
  const books = events.pipe(filter((e): e is BookEvent => e.type === 'book_snapshot' || e.type === 'book_delta'));
  books.pipe(coalesceBookDeltas(250, scheduler)).subscribe(stamp);
  books.pipe(sampleTopN(5, 500, scheduler)).subscribe(stamp);
  events
    .pipe(
      filter((e) => e.type === 'bbo'),
      latestByKey((e) => e.symbol, 100, scheduler),
    )
    .subscribe(stamp);
  const candles = new Map<string, MultiIntervalCandleBuilder>();
  events.subscribe((event) => {
    if (event.type === 'status') stamp(event);
    if (event.type !== 'trade') return;
    let builder = candles.get(event.symbol);
    if (builder === undefined) {
      builder = new MultiIntervalCandleBuilder({
        venue: event.venue,
        symbol: event.symbol,
        intervals: ['1s', '1m'],
        emit: stamp,
      });
      candles.set(event.symbol, builder);
    }
    builder.addTrade(event);
  });
  // Candles close on the recording clock, once per recorded second.
  scheduler.schedule(function tick(this: SchedulerAction<undefined>) {
    for (const builder of candles.values()) builder.advanceTo(scheduler.nowMicros);
    this.schedule(undefined, 1000);
  }, 1000);

  const adapter = new BinanceAdapter({ venue: 'binance-usdm' });
  const sink = new CollectingSink();
  sink.event = (event) => {
    events.next(event);
  };
  async function* paced(): AsyncGenerator<RecordingEntry> {
    const last = entries[entries.length - 1]!.time;
    yield* replay(
      (async function* () {
        await Promise.resolve();
        yield* entries;
      })(),
      { speed, scheduler, clock, to: last + 2_000_000 },
    );
  }
  await replayIntoSessions(paced(), (_conn, url) =>
    adapter.createSession(
      subscriptionsFromStreamUrl(url, (venueSymbol) => adapter.symbolOf(venueSymbol)),
      sink,
    ),
  );
  events.complete();
  return { hash: hash.digest('hex'), outputs };
}

describe('replay', () => {
  it('gives byte-identical normalized output (adapter, books, candles, conflation) at ×1 (fake clock), ×7 and max speed', async () => {
    const realTimeClock = fakeClock();
    const atRealTime = await pipelineHash(1, realTimeClock);
    const fastClock = fakeClock();
    const atSevenTimes = await pipelineHash(7, fastClock);
    const atMax = await pipelineHash('max');
    expect(atRealTime.outputs).toBeGreaterThan(1000);
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
