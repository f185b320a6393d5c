import { batchTrades, type ChannelKind, type WireTrade } from '@tickwire/feeds';
import type { Subscription } from 'rxjs';
import type { InstrumentMarket } from '../../market/instrument-market';
import { RingBuffer } from '../../market/ring-buffer';
import { ChannelStream } from '../channel-stream';

export const TRADES_UPSTREAM: readonly ChannelKind[] = ['trades'];
/** Trades in a snapshot. */
export const TRADES_SNAPSHOT_SIZE = 100;
/** The tape is batched per interval (feeds' batchTrades: none lost, none empty). */
export const TRADES_BATCH_MS = 100;
const MAX_BATCH = 500;

/**
 * `trades`: batches of trades per 100 ms. The snapshot is the last trades this stream published
 * (not those still waiting in a batch), so a new subscriber never sees a trade twice.
 */
export class TradesChannel extends ChannelStream {
  private readonly published = new RingBuffer<WireTrade>(TRADES_SNAPSHOT_SIZE);
  private subscription: Subscription | undefined;
  private release: (() => void) | undefined;

  constructor(
    key: string,
    instrument: string,
    private readonly market: InstrumentMarket,
    private readonly acquire: (channels: readonly ChannelKind[]) => () => void,
    onSerialize: () => void,
  ) {
    super(key, 'trades', instrument, undefined, onSerialize);
  }

  protected snapshotData(): WireTrade[] {
    return this.published.toArray();
  }

  protected start(): void {
    for (const trade of this.market.trades.toArray(TRADES_SNAPSHOT_SIZE)) this.published.push(trade);
    this.subscription = this.market.trade$
      .pipe(batchTrades<WireTrade>(TRADES_BATCH_MS, MAX_BATCH))
      .subscribe((batch) => {
        for (const trade of batch) this.published.push(trade);
        this.publish(batch, (batch[batch.length - 1] as WireTrade).receiveTime);
      });
    this.release = this.acquire(TRADES_UPSTREAM);
  }

  protected stop(): void {
    this.subscription?.unsubscribe();
    this.subscription = undefined;
    this.release?.();
    this.release = undefined;
    this.published.clear();
  }
}
