/*
 * Scenario 8, replay: the largest recording Tickwire has an adapter for (Coinbase Exchange,
 * 2.1 MB, 9,946 frames; the Bybit v1 capture is larger but Tickwire reads no Bybit v1) at max
 * speed through the full pipeline: read and decode the file (openRecordingEntries), replay() on
 * the recording-time scheduler, the adapter session (parse, validate, book, events), then the
 * conflation operators every subscriber path uses (coalesceBookDeltas and latestByKey at 100 ms,
 * batchTrades) on that scheduler. Limit: raw read + parse of the same file (readFileSync, split
 * lines, JSON.parse of each line and of each received frame).
 */
import { readFileSync } from 'node:fs';
import { filter, Subject } from 'rxjs';
import { CoinbaseAdapter } from '../../feeds/src/adapters/coinbase/coinbase-adapter';
import { RECORDED_SUBSCRIPTIONS } from '../../feeds/src/adapters/coinbase/test-support/exchange-replay';
import { replayIntoSessions } from '../../feeds/src/adapters/replay-session';
import type { SessionSink } from '../../feeds/src/adapters/venue-adapter';
import { batchTrades } from '../../feeds/src/conflation/batch-trades';
import { coalesceBookDeltas } from '../../feeds/src/conflation/coalesce-book-deltas';
import { latestByKey } from '../../feeds/src/conflation/latest-by-key';
import type { BookDeltaEvent, BookSnapshotEvent, MarketEvent } from '../../feeds/src/model/events';
import { instrumentKey } from '../../feeds/src/model/instrument';
import { openRecordingEntries } from '../../feeds/src/replay/open-recording';
import { RecordingTimeScheduler } from '../../feeds/src/replay/recording-time-scheduler';
import { replay } from '../../feeds/src/replay/replay';
import { sharedRecording } from '../../feeds/src/test-support/shared-recordings';
import { type LapTimer, measure } from '../harness/measure';
import type { BenchOptions } from '../harness/options';
import type { Row, Scenario } from '../harness/result';

const FILE = 'coinbase/coinbase-exchange-ws.ndjson';

/** Forwards events into the operator chain; `account` (once per frame) records a lap. */
class SubjectSink implements SessionSink {
  constructor(
    private readonly events: Subject<MarketEvent>,
    private readonly timer: LapTimer,
  ) {}
  event(event: MarketEvent): void {
    this.events.next(event);
  }
  send(): void {
    // Nothing goes upstream in a replay.
  }
  request(): void {
    // The recorded REST answer arrives instead.
  }
  account(): void {
    this.timer.lap(1);
  }
  replaceConnection(): void {
    // A replay has one connection.
  }
}

function isBook(event: MarketEvent): event is BookSnapshotEvent | BookDeltaEvent {
  return event.type === 'book_snapshot' || event.type === 'book_delta';
}

export let pipelineOutputs = 0;

async function pipeline(path: string, timer: LapTimer): Promise<number> {
  const scheduler = new RecordingTimeScheduler(0);
  const events = new Subject<MarketEvent>();
  const count = (): void => {
    pipelineOutputs++;
  };
  events.pipe(filter(isBook), coalesceBookDeltas(100, scheduler)).subscribe(count);
  events
    .pipe(
      filter((event) => event.type === 'bbo'),
      latestByKey(instrumentKey, 100, scheduler),
    )
    .subscribe(count);
  events
    .pipe(
      filter((event) => event.type === 'trade'),
      batchTrades(100, Number.POSITIVE_INFINITY, scheduler),
    )
    .subscribe(count);
  const adapter = new CoinbaseAdapter({ feed: 'exchange', heartbeats: false });
  const sink = new SubjectSink(events, timer);
  const stats = await replayIntoSessions(replay(await openRecordingEntries(path), { speed: 'max', scheduler }), () =>
    adapter.createSession(RECORDED_SUBSCRIPTIONS, sink),
  );
  events.complete();
  return stats.frames;
}

export let rawParsed = 0;

function rawReadParse(path: string, timer: LapTimer): number {
  let frames = 0;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line === '') continue;
    const record = JSON.parse(line) as { dir: string; frame?: string };
    if (record.dir !== 'recv' || record.frame === undefined) continue;
    frames++;
    if (JSON.parse(record.frame) !== null) rawParsed++;
    timer.lap(1);
  }
  return frames;
}

export const replayScenario: Scenario = {
  id: 'replay',
  title: 'Replay at max speed: full pipeline vs raw read+parse',
  async run(options: BenchOptions, report: (row: Row) => void) {
    const path = sharedRecording(FILE);
    const ours = await measure((timer) => pipeline(path, timer), options);
    const limit = await measure((timer) => rawReadParse(path, timer), options);
    report({
      scenario: 'replay',
      case: 'coinbase exchange capture, max speed',
      input: `${FILE}: ${(readFileSync(path).length / 1e6).toFixed(2)} MB, ${limit.ops} received frames, 31 s recorded`,
      unit: 'frame',
      ours: {
        name: 'read → replay(max) → adapter session → coalesceBookDeltas/latestByKey/batchTrades',
        measurement: ours,
      },
      peers: [{ name: 'raw read+parse', measurement: limit }],
      targets: [{ peer: 'raw read+parse', kind: 'speedup', bound: 0.5 }],
      notes: [`median run replays the 31 s capture in ${(ours.medianSeconds * 1e3).toFixed(0)} ms`],
    });
  },
};
