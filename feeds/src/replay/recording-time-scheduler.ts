import { VirtualAction, VirtualTimeScheduler } from 'rxjs';
import type { EpochMicros } from '../model/events';

/**
 * An RxJS scheduler whose clock is the recording's receive time, in milliseconds as RxJS expects.
 * Replay advances it to each entry's time before delivering the entry, so every time-based
 * operator (conflation windows, batching, candle closing) sees the times the venue traffic had,
 * whatever the replay speed: that is what makes replay output identical at ×1 and at max speed.
 */
export class RecordingTimeScheduler extends VirtualTimeScheduler {
  constructor(start: EpochMicros) {
    super(VirtualAction, Number.POSITIVE_INFINITY);
    this.frame = start / 1000;
  }

  /** Current recording time in microseconds. */
  get nowMicros(): EpochMicros {
    return Math.round(this.frame * 1000);
  }

  /** Runs every action due up to `time` (in due order), then sets the clock to `time`. */
  advanceTo(time: EpochMicros): void {
    const millis = time / 1000;
    if (millis <= this.frame) return;
    this.maxFrames = millis;
    this.flush();
    this.frame = millis;
  }
}
