import type { Timers } from '../timers';

interface ManualTimer {
  readonly id: number;
  readonly at: number;
  readonly callback: () => void;
}

/** A clock and timers that move only when a test says so. */
export class ManualClock implements Timers {
  private time = 0;
  private nextId = 1;
  private readonly timers = new Map<number, ManualTimer>();

  readonly now = (): number => this.time;

  setTimeout(callback: () => void, ms: number): unknown {
    const timer = { id: this.nextId++, at: this.time + Math.max(0, ms), callback };
    this.timers.set(timer.id, timer);
    return timer.id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  /** Moves time forward by `ms`, running every timer due on the way in time order. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      let due: ManualTimer | undefined;
      for (const timer of this.timers.values())
        if (timer.at <= end && (due === undefined || timer.at < due.at)) due = timer;
      if (due === undefined) break;
      this.timers.delete(due.id);
      this.time = due.at;
      due.callback();
    }
    this.time = end;
  }

  /** Timers waiting to run. */
  get pending(): number {
    return this.timers.size;
  }
}
