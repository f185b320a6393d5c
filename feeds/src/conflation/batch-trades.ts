import { asyncScheduler, Observable, type OperatorFunction, type SchedulerLike, type Subscription } from 'rxjs';

/**
 * Groups a stream (trades) into arrays, one per interval. A batch opens with the first value after
 * the previous one was emitted and is emitted `intervalMs` later on `scheduler`, or at once when it
 * reaches `maxBatchSize` (the next value then opens a new batch with a new interval). Batches are
 * never empty and keep arrival order; a quiet stream holds no timer.
 *
 * No value is lost: completion emits the remainder before completing, and an error emits it before
 * the error (bufferTime drops it).
 */
export function batchTrades<T>(
  intervalMs: number,
  maxBatchSize: number = Number.POSITIVE_INFINITY,
  scheduler: SchedulerLike = asyncScheduler,
): OperatorFunction<T, T[]> {
  if (!Number.isFinite(intervalMs) || intervalMs < 0) {
    throw new RangeError(`batchTrades intervalMs must be a finite non-negative number, got ${intervalMs}`);
  }
  if (!(Number.isSafeInteger(maxBatchSize) || maxBatchSize === Number.POSITIVE_INFINITY) || maxBatchSize < 1) {
    throw new RangeError(`batchTrades maxBatchSize must be a positive integer or Infinity, got ${maxBatchSize}`);
  }
  return (source) =>
    new Observable<T[]>((subscriber) => {
      let batch: T[] = [];
      let timer: Subscription | null = null;

      const flush = (): void => {
        timer?.unsubscribe();
        timer = null;
        if (batch.length === 0) return;
        // Replace before emitting: the emitted array belongs to the subscriber from now on.
        const full = batch;
        batch = [];
        subscriber.next(full);
      };

      const subscription = source.subscribe({
        next: (value) => {
          batch.push(value);
          if (batch.length >= maxBatchSize) flush();
          else timer ??= scheduler.schedule(flush, intervalMs);
        },
        error: (error: unknown) => {
          flush();
          subscriber.error(error);
        },
        complete: () => {
          flush();
          subscriber.complete();
        },
      });

      return () => {
        subscription.unsubscribe();
        timer?.unsubscribe();
        timer = null;
        batch = [];
      };
    });
}
