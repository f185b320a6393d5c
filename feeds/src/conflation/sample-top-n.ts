import { asyncScheduler, interval, Observable, type OperatorFunction, type SchedulerLike } from 'rxjs';
import type { BookLevels } from '../book/book-level';
import { OrderBook } from '../book/order-book';
import { type BookDeltaEvent, type BookSnapshotEvent, instrumentKey, type PriceLevel } from '../model';

type BookEvent = BookSnapshotEvent | BookDeltaEvent;

/** The top `depth` levels per side of a book; a `BookSnapshotEvent` a consumer can apply as is. */
export interface TopNSnapshotEvent extends BookSnapshotEvent {
  readonly depth: number;
}

/**
 * Keeps a book per instrument from snapshot and delta events and, at every tick of `intervalMs`,
 * emits the top `n` levels of each book whose top `n` changed (canonical price and size) since its
 * last emission, with the header (venue, symbol, times, sequence) of its latest event. A book's
 * first sample is always emitted. Changes beyond level n, or changes undone within a tick, emit
 * nothing.
 *
 * The operator owns its books rather than reading a shared one: its output then depends on its
 * input alone (marble-testable, no ordering coupling with whoever else updates a shared book),
 * at the cost of a second copy of the levels where a book is also kept elsewhere.
 *
 * On completion a last sample is taken (so a change after the last tick is not lost), then the
 * output completes. Errors, including a BookUpdateError from an invalid event, are forwarded.
 */
export function sampleTopN(
  n: number,
  intervalMs: number,
  scheduler: SchedulerLike = asyncScheduler,
): OperatorFunction<BookEvent, TopNSnapshotEvent> {
  if (!(Number.isSafeInteger(n) && n >= 1)) throw new RangeError(`n must be a positive integer, got ${n}`);
  if (!(Number.isFinite(intervalMs) && intervalMs > 0)) {
    throw new RangeError(`intervalMs must be a positive finite number, got ${intervalMs}`);
  }
  return (source) =>
    new Observable<TopNSnapshotEvent>((subscriber) => {
      const books = new Map<string, SampledBook>();

      const sample = (): void => {
        for (const book of books.values()) {
          const event = book.sample(n);
          if (event !== undefined) subscriber.next(event);
        }
      };

      const ticks = interval(intervalMs, scheduler).subscribe(sample);
      const subscription = source.subscribe({
        next: (event) => {
          const key = instrumentKey(event);
          let book = books.get(key);
          if (book === undefined) {
            book = new SampledBook(event);
            books.set(key, book);
          }
          try {
            book.apply(event);
          } catch (error) {
            subscriber.error(error);
          }
        },
        error: (error: unknown) => {
          subscriber.error(error);
        },
        complete: () => {
          sample();
          subscriber.complete();
        },
      });

      return () => {
        ticks.unsubscribe();
        subscription.unsubscribe();
      };
    });
}

/** One instrument's book with what was last emitted for it. */
class SampledBook {
  private readonly book = new OrderBook();
  private changed = false;
  private emitted: BookLevels | undefined;

  constructor(private latest: BookEvent) {}

  apply(event: BookEvent): void {
    this.book.applyEvent(event);
    this.latest = event;
    this.changed = true;
  }

  /** The top-n event when the top n changed since the last one, else undefined. */
  sample(n: number): TopNSnapshotEvent | undefined {
    if (!this.changed) return undefined;
    this.changed = false;
    const top = this.book.toSnapshot(n);
    if (
      this.emitted !== undefined &&
      sameLevels(this.emitted.bids, top.bids) &&
      sameLevels(this.emitted.asks, top.asks)
    ) {
      return undefined;
    }
    this.emitted = top;
    const { venue, symbol, receiveTime, venueTime, sequence } = this.latest;
    return {
      type: 'book_snapshot',
      venue,
      symbol,
      receiveTime,
      venueTime,
      sequence,
      bids: top.bids,
      asks: top.asks,
      depth: n,
    };
  }
}

/** Canonical decimals are equal exactly when their strings are. */
function sameLevels(a: readonly PriceLevel[], b: readonly PriceLevel[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as PriceLevel;
    const y = b[i] as PriceLevel;
    if (x[0] !== y[0] || x[1] !== y[1]) return false;
  }
  return true;
}
