/** Failure guard of every wait in these tests: long, since the machine is shared and noisy. */
export const WAIT_GUARD_MS = 8000;
/** Timeout of a test over real sockets: above the guard, so a stuck wait names what it waited for. */
export const SOCKET_TEST_TIMEOUT_MS = 30_000;

/**
 * Re-checks `condition` each time `notify()` is called; resolves with the first non-undefined
 * result. Rejects after WAIT_GUARD_MS with `what` in the message, only as a failure guard.
 */
export class Waiters {
  private readonly waiters = new Set<() => void>();

  until<T>(what: string, condition: () => T | undefined): Promise<T> {
    const now = condition();
    if (now !== undefined) return Promise.resolve(now);
    return new Promise<T>((resolve, reject) => {
      const check = (): void => {
        let value: T | undefined;
        try {
          value = condition();
        } catch (error) {
          finish();
          reject(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        if (value === undefined) return;
        finish();
        resolve(value);
      };
      const guard = setTimeout(() => {
        finish();
        reject(new Error(`timed out waiting for ${what}`));
      }, WAIT_GUARD_MS);
      const finish = (): void => {
        clearTimeout(guard);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
    });
  }

  notify(): void {
    for (const check of [...this.waiters]) check();
  }
}
