/**
 * Counts the timers created while it is installed that are still pending: a timeout that neither
 * fired nor was cleared, an interval that was not cleared. Wraps the global timer functions (which
 * the connection manager uses) and restores them on `restore()`.
 */
export class TimerTracker {
  private readonly pending = new Set<unknown>();
  private readonly originals = {
    setTimeout: globalThis.setTimeout,
    setInterval: globalThis.setInterval,
    clearTimeout: globalThis.clearTimeout,
    clearInterval: globalThis.clearInterval,
  };

  constructor() {
    const { originals, pending } = this;
    const wrappedSetTimeout = (callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
      const handle = originals.setTimeout(
        (...callArgs: unknown[]) => {
          pending.delete(handle);
          callback(...callArgs);
        },
        ms,
        ...args,
      );
      pending.add(handle);
      return handle;
    };
    const wrappedSetInterval = (callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
      const handle = originals.setInterval(callback, ms, ...args);
      pending.add(handle);
      return handle;
    };
    const wrappedClear = (clear: (handle?: NodeJS.Timeout) => void) => (handle?: NodeJS.Timeout) => {
      pending.delete(handle);
      clear(handle);
    };
    globalThis.setTimeout = wrappedSetTimeout as typeof globalThis.setTimeout;
    globalThis.setInterval = wrappedSetInterval as typeof globalThis.setInterval;
    globalThis.clearTimeout = wrappedClear(originals.clearTimeout) as typeof globalThis.clearTimeout;
    globalThis.clearInterval = wrappedClear(originals.clearInterval) as typeof globalThis.clearInterval;
  }

  /** Timers created since construction that are still pending. */
  get active(): number {
    return this.pending.size;
  }

  restore(): void {
    Object.assign(globalThis, this.originals);
  }
}
