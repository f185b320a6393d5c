import type { WireStatus } from '@tickwire/feeds';
import type { Subscription } from 'rxjs';
import type { InstrumentMarket } from '../../market/instrument-market';
import { ChannelStream } from '../channel-stream';

/** `status`: the instrument's feed state (connecting, live, resyncing, stale, disconnected) and where its data comes from. */
export class StatusChannel extends ChannelStream {
  private subscription: Subscription | undefined;

  constructor(
    key: string,
    instrument: string,
    private readonly market: InstrumentMarket,
    onSerialize: () => void,
  ) {
    super(key, 'status', instrument, undefined, onSerialize);
  }

  protected snapshotData(): WireStatus {
    return this.market.status;
  }

  protected start(): void {
    this.subscription = this.market.status$.subscribe((status) => {
      this.publish(status, status.time);
    });
  }

  protected stop(): void {
    this.subscription?.unsubscribe();
    this.subscription = undefined;
  }
}
