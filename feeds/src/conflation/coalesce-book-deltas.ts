import { asyncScheduler, Observable, type OperatorFunction, type SchedulerLike, type Subscription } from 'rxjs';
import type { DecimalString } from '../decimal';
import { type BookDeltaEvent, type BookSnapshotEvent, instrumentKey, type PriceLevel } from '../model';

type BookEvent = BookSnapshotEvent | BookDeltaEvent;

/**
 * Merges book deltas per instrument over `intervalMs`, so that applying the output to a book
 * gives exactly the book that applying every input event gives.
 *
 * - The interval starts with the first event after a flush (no timer runs while the stream is
 *   idle, and no event waits longer than `intervalMs`); an interval without events emits nothing.
 * - Deltas merge per side and canonical price: the last size wins and "0" removals are kept.
 *   Distinct prices commute, so one level per price is all wire-order semantics require. The
 *   merged delta carries the last delta's header and `sequence` and the first delta's
 *   `firstSequence`. A lone delta passes through as the same object.
 * - A snapshot replaces the whole book, so it discards what is pending for its instrument and
 *   is held until the flush; deltas after it merge as usual. A flush therefore emits, per
 *   instrument in order of first arrival, at most a snapshot followed by a merged delta. Holding
 *   (rather than forwarding at once) also conflates venues that stream snapshots.
 * - Completion flushes what is pending, then completes. An error is forwarded at once and what is
 *   pending is dropped: after a feed error the book has to be resynchronised anyway.
 *
 * Input levels are trusted to be canonical (the `DecimalString` brand only comes from
 * `toDecimal`), so a price string is its key.
 */
export function coalesceBookDeltas(
  intervalMs: number,
  scheduler: SchedulerLike = asyncScheduler,
): OperatorFunction<BookEvent, BookEvent> {
  if (!(Number.isFinite(intervalMs) && intervalMs >= 0)) {
    throw new RangeError(`intervalMs must be a non-negative finite number, got ${intervalMs}`);
  }
  return (source) =>
    new Observable<BookEvent>((subscriber) => {
      let pending = new Map<string, PendingBook>();
      let timer: Subscription | undefined;

      const flush = (): void => {
        timer = undefined;
        // Swap before emitting: a subscriber may feed the source synchronously.
        const books = pending;
        pending = new Map();
        for (const book of books.values())
          book.drain((event) => {
            subscriber.next(event);
          });
      };

      const subscription = source.subscribe({
        next: (event) => {
          const key = instrumentKey(event);
          let book = pending.get(key);
          if (book === undefined) {
            book = new PendingBook();
            pending.set(key, book);
          }
          book.add(event);
          timer ??= scheduler.schedule(flush, intervalMs);
        },
        error: (error: unknown) => {
          timer?.unsubscribe();
          subscriber.error(error);
        },
        complete: () => {
          timer?.unsubscribe();
          flush();
          subscriber.complete();
        },
      });

      return () => {
        timer?.unsubscribe();
        subscription.unsubscribe();
      };
    });
}

/** What one instrument has pending in the current interval. */
class PendingBook {
  private snapshot: BookSnapshotEvent | undefined;
  private first: BookDeltaEvent | undefined;
  private last: BookDeltaEvent | undefined;
  // Map keeps each price at its first position; a later set only replaces the level.
  private readonly bids = new Map<DecimalString, PriceLevel>();
  private readonly asks = new Map<DecimalString, PriceLevel>();

  add(event: BookEvent): void {
    if (event.type === 'book_snapshot') {
      this.snapshot = event;
      this.first = undefined;
      this.last = undefined;
      this.bids.clear();
      this.asks.clear();
      return;
    }
    this.first ??= event;
    this.last = event;
    for (const level of event.bids) this.bids.set(level[0], level);
    for (const level of event.asks) this.asks.set(level[0], level);
  }

  drain(emit: (event: BookEvent) => void): void {
    if (this.snapshot !== undefined) emit(this.snapshot);
    const { first, last } = this;
    if (first === undefined || last === undefined) return;
    if (first === last) {
      emit(last);
      return;
    }
    emit({ ...last, firstSequence: first.firstSequence, bids: [...this.bids.values()], asks: [...this.asks.values()] });
  }
}
