import { Observable, Subject } from 'rxjs';
import type { ChannelName, SnapshotMessage, SubscribeParams, UpdateMessage } from '../api/protocol';
import type { ChannelReducer } from './channel-reducer';
import { SequenceTracker } from './sequence-tracker';

/** Which stream of the gateway a subscription picks. */
export interface ChannelRequest {
  readonly channel: ChannelName;
  readonly instrument: string | undefined;
  readonly params: SubscribeParams;
}

/**
 * One channel stream the client wants (one channel key), shared by all its observers: the
 * reference count, the sequence tracking, the reducer and the subject that fans views out.
 */
export class ChannelStream<C extends ChannelName = ChannelName, V = unknown> {
  /** Id of the latest subscribe sent for it on the current connection. */
  subscribeId: number | undefined;
  readonly tracker = new SequenceTracker();
  private observerCount = 0;
  private readonly subject = new Subject<V>();

  constructor(
    readonly key: string,
    readonly request: ChannelRequest,
    private readonly reducer: ChannelReducer<C, V>,
  ) {}

  /**
   * An observable of this stream's views: it replays the current view first (late observers),
   * and calls `onLast` when the last of the observers that `onFirst`-counted goes away.
   */
  views(onFirst: (stream: this) => void, onLast: (stream: this) => void): Observable<V> {
    return new Observable<V>((subscriber) => {
      if (this.observerCount++ === 0) onFirst(this);
      const current = this.reducer.current();
      if (current !== undefined) subscriber.next(current);
      const subscription = this.subject.subscribe(subscriber);
      return () => {
        subscription.unsubscribe();
        if (--this.observerCount === 0) onLast(this);
      };
    });
  }

  get observers(): number {
    return this.observerCount;
  }

  snapshot(message: SnapshotMessage<C>): void {
    this.subject.next(this.reducer.snapshot(message));
  }

  update(message: UpdateMessage<C>): void {
    this.subject.next(this.reducer.update(message));
  }

  fail(error: unknown): void {
    this.subject.error(error);
  }

  complete(): void {
    this.subject.complete();
  }
}
