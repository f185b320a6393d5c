import { clearInterval, clearTimeout, setInterval, setTimeout } from 'node:timers';

type Handle = ReturnType<typeof setTimeout>;

/**
 * Timers owned by one connection or by the exchange, cleared together when their owner ends, so
 * that a closed exchange leaves no handle that keeps the process alive.
 */
export class TimerSet {
  private readonly timeouts = new Set<Handle>();
  private readonly intervals = new Set<Handle>();
  private cleared = false;

  /** Runs `callback` once after `ms`; does nothing once the set is cleared. */
  timeout(ms: number, callback: () => void): Handle | undefined {
    if (this.cleared) return undefined;
    const handle = setTimeout(
      () => {
        this.timeouts.delete(handle);
        callback();
      },
      Math.max(0, ms),
    );
    this.timeouts.add(handle);
    return handle;
  }

  /** Runs `callback` every `ms` until cleared. */
  interval(ms: number, callback: () => void): Handle | undefined {
    if (this.cleared) return undefined;
    const handle = setInterval(callback, Math.max(1, ms));
    this.intervals.add(handle);
    return handle;
  }

  cancel(handle: Handle | undefined): void {
    if (handle === undefined) return;
    if (this.timeouts.delete(handle)) clearTimeout(handle);
    if (this.intervals.delete(handle)) clearInterval(handle);
  }

  /** Clears every timer; later calls to timeout/interval are ignored. */
  clear(): void {
    this.cleared = true;
    for (const handle of this.timeouts) clearTimeout(handle);
    for (const handle of this.intervals) clearInterval(handle);
    this.timeouts.clear();
    this.intervals.clear();
  }

  get size(): number {
    return this.timeouts.size + this.intervals.size;
  }
}
