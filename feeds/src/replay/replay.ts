import type { EpochMicros } from '../model/events';
import type { RecordingEntry } from '../recording/recording-entry';
import type { RecordingTimeScheduler } from './recording-time-scheduler';

/** 1 = real time, N = N times faster, 'max' = as fast as the consumer takes entries. */
export type ReplaySpeed = number | 'max';

/** Wall-clock access for pacing; tests pass a fake one so ×1 runs instantly. */
export interface PacingClock {
  /** Milliseconds, monotonic. */
  now(): number;
  sleep(milliseconds: number): Promise<void>;
}

export const systemPacingClock: PacingClock = {
  now: () => performance.now(),
  sleep: (milliseconds) =>
    new Promise((resolve) => {
      setTimeout(resolve, milliseconds);
    }),
};

export interface ReplayOptions {
  readonly speed: ReplaySpeed;
  /** Skip entries before this receive time (sources that can seek should seek instead). */
  readonly from?: EpochMicros;
  /** Stop after this receive time. */
  readonly to?: EpochMicros;
  /** Advanced to each entry's time before the entry is delivered. */
  readonly scheduler?: RecordingTimeScheduler;
  readonly clock?: PacingClock;
}

export class ReplaySpeedError extends Error {
  override readonly name = 'ReplaySpeedError';
}

export function parseReplaySpeed(text: string): ReplaySpeed {
  if (text === 'max') return 'max';
  const speed = Number(text.replace(/^x/i, ''));
  if (!Number.isFinite(speed) || speed <= 0) {
    throw new ReplaySpeedError(`speed must be a positive number (1 = real time) or "max", got ${JSON.stringify(text)}`);
  }
  return speed;
}

/**
 * Delivers recorded entries paced by their receive times. Pacing is against the absolute start
 * (entry k is due at start + (t_k - t_0) / speed), so sleep overshoot does not accumulate. Entry
 * times that go backwards (a clock step in the recording) are delivered at once, not waited for.
 */
export async function* replay(
  source: AsyncIterable<RecordingEntry>,
  options: ReplayOptions,
): AsyncGenerator<RecordingEntry> {
  const { speed, scheduler } = options;
  if (speed !== 'max' && (!Number.isFinite(speed) || speed <= 0)) {
    throw new ReplaySpeedError(`speed must be positive or "max", got ${String(speed)}`);
  }
  const clock = options.clock ?? systemPacingClock;
  const from = options.from ?? Number.NEGATIVE_INFINITY;
  const to = options.to ?? Number.POSITIVE_INFINITY;
  let firstTime: EpochMicros | undefined;
  let wallStart = 0;
  for await (const entry of source) {
    if (entry.time < from) continue;
    if (entry.time > to) break;
    if (speed !== 'max') {
      if (firstTime === undefined) {
        firstTime = entry.time;
        wallStart = clock.now();
      }
      const due = wallStart + (entry.time - firstTime) / 1000 / speed;
      const wait = due - clock.now();
      if (wait > 0) await clock.sleep(wait);
    }
    scheduler?.advanceTo(entry.time);
    yield entry;
  }
  if (scheduler !== undefined && options.to !== undefined) scheduler.advanceTo(options.to);
}
