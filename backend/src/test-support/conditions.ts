/**
 * Waits on conditions that change when something arrives (a message, an event): `wake()` after
 * each arrival re-checks every pending condition. The timeout is only a failure guard.
 */
export class Conditions {
  private readonly waiters = new Set<() => void>();

  wake(): void {
    for (const check of [...this.waiters]) check();
  }

  until(condition: () => boolean, describe: () => string, timeoutMs = 20_000): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out waiting for ${describe()}`));
      }, timeoutMs);
      const check = (): void => {
        if (!condition()) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      this.waiters.add(check);
    });
  }
}
