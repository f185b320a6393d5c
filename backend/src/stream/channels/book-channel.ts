import { type BookLevels, type ChannelKind, type SubscribeParams, type WireBook } from '@tickwire/feeds';
import { auditTime, type Observable, type Subscription } from 'rxjs';
import type { BookPosition, InstrumentMarket } from '../../market/instrument-market';
import { ChannelStream } from '../channel-stream';
import { diffSide } from './book-diff';

export const BOOK_UPSTREAM: readonly ChannelKind[] = ['book'];

/**
 * `book`: the top `depth` levels of the instrument's one verified book. Updates carry the levels of
 * that view that changed since the previous message (size "0": gone from the view), after every
 * verified update (intervalMs 0) or at most once per interval (RxJS auditTime: the latest book when
 * the interval ends), and only when the view changed.
 */
export class BookChannel extends ChannelStream {
  private view: BookLevels = { bids: [], asks: [] };
  private position: BookPosition | undefined;
  private subscription: Subscription | undefined;
  private release: (() => void) | undefined;

  constructor(
    key: string,
    instrument: string,
    params: Required<Pick<SubscribeParams, 'depth' | 'intervalMs'>>,
    private readonly market: InstrumentMarket,
    private readonly acquire: (channels: readonly ChannelKind[]) => () => void,
    onSerialize: () => void,
  ) {
    super(key, 'book', instrument, params, onSerialize);
  }

  private get depth(): number {
    return (this.params as { depth: number }).depth;
  }

  protected snapshotData(): WireBook {
    return {
      bids: this.view.bids,
      asks: this.view.asks,
      sequence: this.position?.sequence ?? null,
      venueTime: this.position?.venueTime ?? null,
      receiveTime: this.position?.receiveTime ?? 0,
    };
  }

  protected start(): void {
    this.view = this.market.book.toSnapshot(this.depth);
    this.position = this.market.bookPosition;
    const intervalMs = (this.params as { intervalMs: number }).intervalMs;
    const changes: Observable<BookPosition> =
      intervalMs > 0 ? this.market.bookChanged$.pipe(auditTime(intervalMs)) : this.market.bookChanged$;
    this.subscription = changes.subscribe((position) => {
      this.onBook(position);
    });
    this.release = this.acquire(BOOK_UPSTREAM);
  }

  protected stop(): void {
    this.subscription?.unsubscribe();
    this.subscription = undefined;
    this.release?.();
    this.release = undefined;
  }

  private onBook(position: BookPosition): void {
    const next = this.market.book.toSnapshot(this.depth);
    const bids = diffSide(this.view.bids, next.bids);
    const asks = diffSide(this.view.asks, next.asks);
    this.position = position;
    if (bids.length === 0 && asks.length === 0) return;
    this.view = next;
    const update: WireBook = {
      bids,
      asks,
      sequence: position.sequence,
      venueTime: position.venueTime,
      receiveTime: position.receiveTime,
    };
    this.publish(update, position.receiveTime);
  }
}
