import type { Timers } from '../timers';

/** Real timers that keep count of the ones still pending, to show that nothing is left running. */
export class CountingTimers implements Timers {
  private readonly live = new Set<ReturnType<typeof setTimeout>>();

  setTimeout(callback: () => void, ms: number): unknown {
    const handle = setTimeout(() => {
      this.live.delete(handle);
      callback();
    }, ms);
    this.live.add(handle);
    return handle;
  }

  clearTimeout(handle: unknown): void {
    const timer = handle as ReturnType<typeof setTimeout>;
    clearTimeout(timer);
    this.live.delete(timer);
  }

  get pending(): number {
    return this.live.size;
  }
}
