import { CLOSE_CODES, type ErrorMessage, type ServerMessage } from '@tickwire/feeds';
import type { LimitsConfig } from '../config/gateway-config.schema';
import type { GatewayMetrics } from '../metrics/gateway-metrics';
import type { ChannelStream, ChannelSubscriber } from './channel-stream';
import { TokenBucket } from './token-bucket';
import type { ClientTransport } from './transports/client-transport';

/** How often a lagging session checks its socket to send conflated snapshots or give up. */
const LAG_CHECK_MS = 250;
/** The bytes of the last message whose lag was sampled (see deliver). */
let lastLagSample: Buffer | undefined;
/** A socket closed as a slow consumer gets this long for the close frame before it is destroyed. */
const CLOSE_GRACE_MS = 1000;

export interface ClientSessionOptions {
  readonly transport: ClientTransport;
  readonly address: string;
  readonly limits: LimitsConfig;
  readonly metrics: GatewayMetrics;
  readonly authenticated: boolean;
  readonly now: () => number;
}

/**
 * One client connection: its subscriptions, rate limit, auth state and the slow-consumer policy.
 *
 * Slow consumers: below `softBufferedBytes` of unsent data every update is written. Above it the
 * session stops writing updates and counts, per channel, what it skipped; every LAG_CHECK_MS it
 * writes one conflated snapshot per lagging channel (the latest state, `conflated: true` with the
 * count skipped), so a slow reader keeps a correct if coarser picture, and then resumes updates
 * once its buffer is back under the soft bound. A client that does not read at all piles up those
 * snapshots; above `hardBufferedBytes` it is closed with 4009 and destroyed shortly after, so
 * the gateway holds at most about the hard bound per client.
 */
export class ClientSession implements ChannelSubscriber {
  readonly subscriptions = new Map<string, ChannelStream>();
  authenticated: boolean;
  private readonly bucket: TokenBucket;
  /** Channels whose updates were skipped, and how many. */
  private readonly lagging = new Map<ChannelStream, number>();
  private lagTimer: NodeJS.Timeout | undefined;
  private closing = false;

  constructor(private readonly options: ClientSessionOptions) {
    this.authenticated = options.authenticated;
    this.bucket = new TokenBucket(options.limits.maxMessagesPerSecond, options.limits.messageBurst, options.now());
  }

  get transport(): ClientTransport {
    return this.options.transport;
  }

  get address(): string {
    return this.options.address;
  }

  get isClosing(): boolean {
    return this.closing;
  }

  /** False when the client exceeded its message rate (the caller closes it). */
  takeMessageToken(): boolean {
    return this.bucket.take(this.options.now());
  }

  deliver(stream: ChannelStream, bytes: Buffer, receiveTime: number): void {
    if (this.closing) return;
    const skipped = this.lagging.get(stream);
    if (skipped !== undefined) {
      this.lagging.set(stream, skipped + 1);
      return;
    }
    const buffered = this.transport.bufferedAmount;
    if (buffered > this.options.limits.softBufferedBytes) {
      this.lagging.set(stream, 1);
      this.watchLag();
      return;
    }
    this.write(bytes, stream);
    // One lag sample per message, not per subscriber: a stream hands every subscriber the same
    // bytes in one synchronous loop, so a repeat of the last bytes is the same message fanning out.
    if (bytes !== lastLagSample) {
      lastLagSample = bytes;
      this.options.metrics.lag.observe(Math.max(0, this.options.now() * 1000 - receiveTime) / 1e6);
    }
  }

  /** Writes a snapshot of `stream` (on subscribe, after a gap request). */
  sendSnapshot(stream: ChannelStream): void {
    if (this.closing) return;
    this.lagging.delete(stream);
    for (const bytes of stream.snapshotMessages()) this.write(bytes, stream);
  }

  /** Resumes a stream from where the client was: the retained updates it missed, in order. */
  sendUpdates(stream: ChannelStream, updates: readonly Buffer[]): void {
    for (const bytes of updates) {
      if (this.closing) return;
      this.write(bytes, stream);
    }
  }

  /** Forgets a stream (unsubscribed): no conflated snapshot is owed for it any more. */
  forget(stream: ChannelStream): void {
    this.lagging.delete(stream);
  }

  send(message: ServerMessage): void {
    if (this.closing) return;
    this.write(Buffer.from(JSON.stringify(message)), undefined);
  }

  sendBytes(bytes: Buffer): void {
    if (this.closing) return;
    this.write(bytes, undefined);
  }

  error(error: Omit<ErrorMessage, 'type'>): void {
    this.send({ type: 'error', ...error });
  }

  /** Closes with a code and reason, then destroys the socket if the close handshake does not finish. */
  close(code: number, reason: string): void {
    if (this.closing) return;
    this.closing = true;
    this.stopWatchingLag();
    this.lagging.clear();
    const transport = this.transport;
    try {
      transport.close(code, reason);
    } catch {
      transport.terminate();
      return;
    }
    const timer = setTimeout(() => {
      transport.terminate();
    }, CLOSE_GRACE_MS);
    timer.unref();
    transport.onClose(() => {
      clearTimeout(timer);
    });
  }

  /** The socket is gone: release timers (the gateway releases the subscriptions). */
  dispose(): void {
    this.closing = true;
    this.stopWatchingLag();
    this.lagging.clear();
  }

  private write(bytes: Buffer, stream: ChannelStream | undefined): void {
    if (!this.transport.isOpen) return;
    this.transport.send(bytes, stream);
    if (stream !== undefined) {
      this.options.metrics.messagesOutOf(stream.channel).inc();
      this.options.metrics.bytesOut.inc(bytes.length);
    }
    if (this.transport.bufferedAmount > this.options.limits.hardBufferedBytes) this.closeSlow();
  }

  private watchLag(): void {
    this.lagTimer ??= setInterval(() => {
      this.checkLag();
    }, LAG_CHECK_MS);
  }

  private stopWatchingLag(): void {
    clearInterval(this.lagTimer);
    this.lagTimer = undefined;
  }

  private checkLag(): void {
    if (this.closing) return;
    if (this.transport.bufferedAmount > this.options.limits.hardBufferedBytes) {
      this.closeSlow();
      return;
    }
    for (const [stream, skipped] of this.lagging) {
      if (skipped === 0) continue;
      for (const bytes of stream.snapshotMessages({ conflated: true, skipped })) this.write(bytes, stream);
      this.options.metrics.conflatedSnapshots.inc();
      // write() closes the session when the hard bound is crossed.
      if (this.isClosing) return;
    }
    // Caught up: updates flow again. Still above the soft bound: skip and conflate again next check.
    if (this.transport.bufferedAmount <= this.options.limits.softBufferedBytes) {
      this.lagging.clear();
      this.stopWatchingLag();
    } else {
      for (const stream of this.lagging.keys()) this.lagging.set(stream, 0);
    }
  }

  private closeSlow(): void {
    if (this.closing) return;
    this.options.metrics.slowConsumerCloses.inc();
    this.close(CLOSE_CODES.slowConsumer, 'slow consumer: unsent data above the limit');
  }
}
