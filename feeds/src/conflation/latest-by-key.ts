import { asyncScheduler, type MonoTypeOperatorFunction, Observable, type SchedulerLike, type Subscription } from 'rxjs';

/**
 * Conflates a stream to the latest value per key (e.g. the BBO per symbol) over windows of
 * `windowMs`. A window opens with the first value after the previous flush and closes `windowMs`
 * later on `scheduler`; it then emits each key's latest value, in the order the keys first arrived
 * in that window. A quiet stream holds no timer and emits nothing.
 *
 * On completion the pending values are emitted before completing. On an error (of the source or
 * thrown by keyOf) they are emitted too, then the error: unlike bufferTime, nothing received before
 * a failure is dropped.
 *
 * Two Maps are reused across windows (swapped at each flush), so a value costs a Map.set and no
 * allocation once the keys are known.
 */
export function latestByKey<T>(
  keyOf: (value: T) => string,
  windowMs: number,
  scheduler: SchedulerLike = asyncScheduler,
): MonoTypeOperatorFunction<T> {
  if (!Number.isFinite(windowMs) || windowMs < 0) {
    throw new RangeError(`latestByKey windowMs must be a finite non-negative number, got ${windowMs}`);
  }
  return (source) =>
    new Observable<T>((subscriber) => {
      let pending = new Map<string, T>();
      let spare = new Map<string, T>();
      let timer: Subscription | null = null;

      const flush = (): void => {
        timer?.unsubscribe();
        timer = null;
        // Swap before emitting: a value a subscriber pushes back synchronously lands in the next window.
        const flushing = pending;
        pending = spare;
        spare = flushing;
        for (const value of flushing.values()) subscriber.next(value);
        flushing.clear();
      };

      const fail = (error: unknown): void => {
        flush();
        subscriber.error(error);
      };

      const subscription = source.subscribe({
        next: (value) => {
          let key: string;
          try {
            key = keyOf(value);
          } catch (error) {
            fail(error);
            return;
          }
          // set() on a known key keeps its place: the order is that of first arrival in the window.
          pending.set(key, value);
          timer ??= scheduler.schedule(flush, windowMs);
        },
        error: fail,
        complete: () => {
          flush();
          subscriber.complete();
        },
      });

      return () => {
        subscription.unsubscribe();
        timer?.unsubscribe();
        timer = null;
        pending.clear();
        spare.clear();
      };
    });
}
