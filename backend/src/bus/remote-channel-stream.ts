import type { ChannelName, SubscribeParams, SubscribeRequest } from '@tickwire/feeds';
import { ChannelStream, type ConflationMark } from '../stream/channel-stream';
import type { GapReason, RemoteLink, RemoteSnapshot } from './remote-link';

/** The snapshot is re-fetched (and the kept updates dropped) after this many updates or bytes. */
export const COMPACT_AFTER_UPDATES = 200;
export const COMPACT_AFTER_BYTES = 256 * 1024;
/** Updates kept while a snapshot request is in flight; beyond, they are dropped and the request repeated. */
const MAX_PENDING = 10_000;
const RETRY_MS = 250;

interface Relayed {
  readonly seq: number;
  readonly bytes: Buffer;
  readonly receiveTime: number;
}

interface Incoming extends Relayed {
  readonly epoch: string;
}

/**
 * A gateway's copy of a channel stream an ingest owns: it relays the ingest's update bytes as they
 * are (same seq, same bytes on every gateway) to its subscribers. It keeps the ingest's last
 * snapshot and the updates since, so a client subscribing here gets that snapshot then those
 * updates: its view is current, with no gap and no duplicate, without asking the ingest.
 *
 * A start, a seq jump, a reconnect of the bus or another ingest incarnation (epoch) makes it ask
 * the ingest for a snapshot: updates arriving meanwhile are buffered; then those at or below the
 * snapshot's seq are dropped, the next ones must follow on, and every subscriber gets the fresh
 * snapshot. Losses are reported through the link (metric and log), never skipped silently.
 */
export class RemoteChannelStream extends ChannelStream {
  private base: RemoteSnapshot | undefined;
  private tail: Relayed[] = [];
  private tailBytes = 0;
  private upstreamEpoch: string | undefined;
  private active = false;
  private syncing = false;
  private syncReason: 'start' | GapReason = 'start';
  private pending: Incoming[] = [];
  private compacting = false;
  private retry: NodeJS.Timeout | undefined;

  constructor(
    key: string,
    channel: ChannelName,
    instrument: string | undefined,
    params: SubscribeParams | undefined,
    private readonly link: RemoteLink,
    onSerialize: () => void,
  ) {
    super(key, channel, instrument, params, onSerialize);
  }

  /** The subscribe request that names this stream (what the ingest resolves). */
  get request(): SubscribeRequest {
    return {
      op: 'subscribe',
      channel: this.channel,
      ...(this.instrument === undefined ? {} : { instrument: this.instrument }),
      ...this.params,
    };
  }

  /** Whether it has a snapshot from the ingest and relays updates (false while resyncing). */
  get isSynced(): boolean {
    return this.active && !this.syncing && this.base !== undefined;
  }

  /** The ingest's snapshot, then the updates since; nothing while resyncing (the fresh snapshot follows). */
  override snapshotMessages(mark?: ConflationMark): readonly Buffer[] {
    if (!this.isSynced || this.base === undefined) return [];
    return [this.snapshot(mark), ...this.tail.map((update) => update.bytes)];
  }

  /** The ingest's last snapshot bytes (marked as conflated when asked). */
  override snapshot(mark?: ConflationMark): Buffer {
    const bytes = this.base?.bytes;
    if (bytes === undefined) throw new Error(`${this.key}: no snapshot from the ingest yet`);
    if (mark === undefined) return bytes;
    return Buffer.concat([
      bytes.subarray(0, bytes.length - 1),
      Buffer.from(`,"conflated":true,"skipped":${mark.skipped}}`),
    ]);
  }

  /** One update from the bus. */
  onBusUpdate(seq: number, epoch: string, bytes: Buffer, receiveTime: number): void {
    if (!this.active) return;
    if (this.syncing) {
      if (this.pending.length < MAX_PENDING) this.pending.push({ seq, epoch, bytes, receiveTime });
      return;
    }
    if (epoch !== this.upstreamEpoch) {
      this.gap('epoch', `stream incarnation ${epoch} replaced ${this.upstreamEpoch ?? 'none'} at seq ${seq}`);
      return;
    }
    if (seq <= this.seq) return;
    if (seq !== this.seq + 1) {
      this.gap('seq', `expected seq ${this.seq + 1}, got ${seq}: ${seq - this.seq - 1} updates lost`);
      return;
    }
    this.accept({ seq, bytes, receiveTime });
  }

  /** The bus connection came back: anything may have been lost meanwhile, so resync. */
  onReconnect(): void {
    if (!this.active) return;
    this.syncReason = 'reconnect';
    this.resync();
  }

  protected snapshotData(): unknown {
    return null;
  }

  protected start(): void {
    this.active = true;
    this.link.watch(this);
    this.syncReason = 'start';
    this.resync();
  }

  protected stop(): void {
    this.active = false;
    clearTimeout(this.retry);
    this.link.unwatch(this);
    this.base = undefined;
    this.tail = [];
    this.tailBytes = 0;
    this.pending = [];
    this.syncing = false;
  }

  /** A method, not the field, so the compiler does not narrow it across awaits and callbacks. */
  private isResyncing(): boolean {
    return this.syncing;
  }

  private accept(update: Relayed): void {
    this.tail.push(update);
    this.tailBytes += update.bytes.length;
    this.relay(update.seq, update.bytes, update.receiveTime);
    if (this.tail.length >= COMPACT_AFTER_UPDATES || this.tailBytes >= COMPACT_AFTER_BYTES) void this.compact();
  }

  private gap(reason: GapReason, detail: string): void {
    this.link.reportGap(this, reason, detail);
    this.syncReason = reason;
    this.resync();
  }

  private resync(): void {
    if (this.syncing) return;
    this.syncing = true;
    this.pending = [];
    void this.fetch();
  }

  private async fetch(): Promise<void> {
    let snapshot: RemoteSnapshot;
    try {
      snapshot = await this.link.fetchSnapshot(this);
    } catch (error) {
      if (!this.active) return;
      this.link.snapshotFailed(this, error);
      this.retry = setTimeout(() => {
        void this.fetch();
      }, RETRY_MS);
      return;
    }
    if (this.active) this.install(snapshot);
  }

  private install(snapshot: RemoteSnapshot): void {
    const pending = this.pending;
    if (this.syncReason === 'reconnect' && this.upstreamEpoch !== undefined) {
      if (snapshot.epoch !== this.upstreamEpoch) {
        this.link.reportGap(this, 'epoch', `another stream incarnation (${snapshot.epoch}) after the reconnect`);
      } else {
        const received = new Set(
          pending
            .filter((p) => p.epoch === snapshot.epoch && p.seq > this.seq && p.seq <= snapshot.seq)
            .map((p) => p.seq),
        );
        const missing = snapshot.seq - this.seq - received.size;
        if (missing > 0) this.link.reportGap(this, 'reconnect', `${missing} updates lost while the bus reconnected`);
      }
    }
    this.base = snapshot;
    this.tail = [];
    this.tailBytes = 0;
    this.upstreamEpoch = snapshot.epoch;
    this.restartAt(snapshot.seq);
    this.syncing = false;
    this.pending = [];
    this.broadcast(snapshot.bytes, Date.now() * 1000);
    for (const update of pending) {
      this.onBusUpdate(update.seq, update.epoch, update.bytes, update.receiveTime);
      if (this.isResyncing()) return;
    }
  }

  /** Replaces the kept snapshot by a newer one so the updates kept for new subscribers stay few. */
  private async compact(): Promise<void> {
    if (this.compacting || this.syncing) return;
    this.compacting = true;
    try {
      const snapshot = await this.link.fetchSnapshot(this);
      const base = this.base;
      if (!this.active || this.isResyncing() || base === undefined) return;
      if (snapshot.epoch !== this.upstreamEpoch) {
        this.gap('epoch', `stream incarnation ${snapshot.epoch} replaced ${this.upstreamEpoch ?? 'none'}`);
        return;
      }
      // A snapshot ahead of what arrived here would skip updates the subscribers still need: keep the old one.
      if (snapshot.seq < base.seq || snapshot.seq > this.seq) return;
      this.base = snapshot;
      this.tail = this.tail.filter((update) => update.seq > snapshot.seq);
      this.tailBytes = this.tail.reduce((sum, update) => sum + update.bytes.length, 0);
    } catch (error) {
      if (this.active) this.link.snapshotFailed(this, error);
    } finally {
      this.compacting = false;
    }
  }
}
