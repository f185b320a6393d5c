import { type ChannelKind, latestByKey, type WireBbo } from '@tickwire/feeds';
import type { Observable, Subscription } from 'rxjs';
import type { InstrumentMarket } from '../../market/instrument-market';
import { ChannelStream } from '../channel-stream';

export const BBO_UPSTREAM: readonly ChannelKind[] = ['bbo'];

/** `bbo`: the venue's best bid and offer, every change (intervalMs 0) or the latest per interval (feeds' latestByKey). */
export class BboChannel extends ChannelStream {
  private subscription: Subscription | undefined;
  private release: (() => void) | undefined;

  constructor(
    key: string,
    instrument: string,
    private readonly intervalMs: number,
    private readonly market: InstrumentMarket,
    private readonly acquire: (channels: readonly ChannelKind[]) => () => void,
    onSerialize: () => void,
  ) {
    super(key, 'bbo', instrument, { intervalMs }, onSerialize);
  }

  protected snapshotData(): WireBbo {
    return this.market.bbo ?? { bid: null, ask: null, venueTime: null, receiveTime: 0 };
  }

  protected start(): void {
    const source: Observable<WireBbo> =
      this.intervalMs > 0 ? this.market.bbo$.pipe(latestByKey(() => '', this.intervalMs)) : this.market.bbo$;
    this.subscription = source.subscribe((bbo) => {
      this.publish(bbo, bbo.receiveTime);
    });
    this.release = this.acquire(BBO_UPSTREAM);
  }

  protected stop(): void {
    this.subscription?.unsubscribe();
    this.subscription = undefined;
    this.release?.();
    this.release = undefined;
  }
}
