import type { ChannelName, SubscribeParams } from '@tickwire/feeds';

/** Updates a stream keeps for resuming clients: at most this many, and at most this many bytes. */
export const HISTORY_MAX_UPDATES = 256;
export const HISTORY_MAX_BYTES = 512 * 1024;

/** Random per process, so a stream's epoch never repeats across gateway restarts. */
const PROCESS_NONCE = Math.floor(Math.random() * 36 ** 4)
  .toString(36)
  .padStart(4, '0');
let streams = 0;
const nextEpoch = (): string => `${PROCESS_NONCE}${(streams++).toString(36)}`;

/** Someone who takes a channel's messages: a client session. */
export interface ChannelSubscriber {
  /**
   * One update of `stream`, as the bytes every subscriber gets (serialized once for all).
   * `receiveTime` (µs) is when the gateway received what the update carries, for lag metrics.
   */
  deliver(stream: ChannelStream, bytes: Buffer, receiveTime: number): void;
}

/** What a conflated snapshot adds: it replaces `skipped` updates a slow client could not take. */
export interface ConflationMark {
  readonly conflated: true;
  readonly skipped: number;
}

/**
 * One channel stream (`book binance:BTC-USDT 20 100`): its state for snapshots, a per-channel
 * sequence, and the subscribers its updates go to. Each update is serialized once, as bytes that
 * every subscriber's socket sends as they are: the JSON envelope up to `"seq":` is built once per
 * stream, so an update costs one JSON.stringify of its data and one Buffer, whatever the fan-out.
 */
export abstract class ChannelStream {
  /**
   * Which incarnation of the stream this is: a stream disposed and created again restarts its seq,
   * so a resume token names the epoch too and one from another incarnation gets a snapshot.
   */
  private currentEpoch = nextEpoch();
  private sequence = 0;
  private readonly subscribers = new Set<ChannelSubscriber>();
  private readonly updatePrefix: string;
  private readonly snapshotPrefix: string;
  private cachedSnapshot: { seq: number; bytes: Buffer } | undefined;
  private started = false;
  /** The last updates' bytes, oldest first, so an SSE client resuming with Last-Event-ID can be caught up. */
  private readonly history: Buffer[] = [];
  private historyBytes = 0;

  protected constructor(
    readonly key: string,
    readonly channel: ChannelName,
    readonly instrument: string | undefined,
    readonly params: SubscribeParams | undefined,
    private readonly onSerialize: () => void,
  ) {
    const header = JSON.stringify({ channel, instrument, params }).slice(1, -1);
    this.updatePrefix = `{"type":"update",${header},"seq":`;
    this.snapshotPrefix = `{"type":"snapshot",${header},"seq":`;
  }

  get epoch(): string {
    return this.currentEpoch;
  }

  get seq(): number {
    return this.sequence;
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  add(subscriber: ChannelSubscriber): void {
    this.subscribers.add(subscriber);
    if (!this.started) {
      this.started = true;
      this.start();
    }
  }

  /** Removes a subscriber; true when it was the last one (the registry then disposes the stream). */
  remove(subscriber: ChannelSubscriber): boolean {
    this.subscribers.delete(subscriber);
    return this.subscribers.size === 0;
  }

  /** The current state as a snapshot message at the current seq; shared bytes unless conflation marks it. */
  snapshot(mark?: ConflationMark): Buffer {
    if (mark === undefined && this.cachedSnapshot?.seq === this.sequence) return this.cachedSnapshot.bytes;
    const extra = mark === undefined ? '' : `,"conflated":true,"skipped":${mark.skipped}`;
    const bytes = Buffer.from(
      `${this.snapshotPrefix}${this.sequence},"data":${JSON.stringify(this.snapshotData())}${extra}}`,
    );
    this.onSerialize();
    if (mark === undefined) this.cachedSnapshot = { seq: this.sequence, bytes };
    return bytes;
  }

  /**
   * What a client needs to start following the stream: a snapshot (at the current seq here; a
   * relayed stream may give an earlier snapshot and the updates since).
   */
  snapshotMessages(mark?: ConflationMark): readonly Buffer[] {
    return [this.snapshot(mark)];
  }

  /**
   * The updates after `seq` up to the current one, when all are still retained; undefined when the
   * gap cannot be filled (then the client needs a snapshot).
   */
  updatesSince(seq: number): readonly Buffer[] | undefined {
    const missing = this.sequence - seq;
    if (!Number.isSafeInteger(seq) || missing < 0 || missing > this.history.length) return undefined;
    return this.history.slice(this.history.length - missing);
  }

  dispose(): void {
    this.subscribers.clear();
    this.history.length = 0;
    this.historyBytes = 0;
    if (this.started) this.stop();
    this.started = false;
  }

  /** Sends one update to every subscriber: seq + 1, serialized once. */
  protected publish(data: unknown, receiveTime: number): void {
    this.sequence++;
    const bytes = Buffer.from(`${this.updatePrefix}${this.sequence},"data":${JSON.stringify(data)}}`);
    this.onSerialize();
    this.remember(bytes);
    for (const subscriber of this.subscribers) subscriber.deliver(this, bytes, receiveTime);
  }

  /** Sends update bytes serialized elsewhere (a relayed stream), at the seq they carry. */
  protected relay(seq: number, bytes: Buffer, receiveTime: number): void {
    this.sequence = seq;
    this.remember(bytes);
    for (const subscriber of this.subscribers) subscriber.deliver(this, bytes, receiveTime);
  }

  /** Sends bytes to every subscriber without changing the seq (a relayed stream's fresh snapshot). */
  protected broadcast(bytes: Buffer, receiveTime: number): void {
    for (const subscriber of this.subscribers) subscriber.deliver(this, bytes, receiveTime);
  }

  /** A relayed stream that resynced: a new incarnation at `seq`, so no resume crosses the break. */
  protected restartAt(seq: number): void {
    this.sequence = seq;
    this.history.length = 0;
    this.historyBytes = 0;
    this.cachedSnapshot = undefined;
    this.currentEpoch = nextEpoch();
  }

  private remember(bytes: Buffer): void {
    this.history.push(bytes);
    this.historyBytes += bytes.length;
    while (this.history.length > HISTORY_MAX_UPDATES || this.historyBytes > HISTORY_MAX_BYTES) {
      this.historyBytes -= (this.history.shift() as Buffer).length;
    }
  }

  /** The payload of a snapshot at the current seq. */
  protected abstract snapshotData(): unknown;
  /** Starts following the instrument (first subscriber). */
  protected abstract start(): void;
  /** Stops following it and releases upstream demand (last subscriber gone). */
  protected abstract stop(): void;
}
