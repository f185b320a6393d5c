import type { WireInstrument } from '@tickwire/feeds';
import type { Observable, Subscription } from 'rxjs';
import { ChannelStream } from '../channel-stream';

/** `instruments`: every instrument the gateway serves; updates list those added or changed. */
export class InstrumentsChannel extends ChannelStream {
  private subscription: Subscription | undefined;

  constructor(
    private readonly list: () => readonly WireInstrument[],
    private readonly changes: Observable<readonly WireInstrument[]>,
    onSerialize: () => void,
  ) {
    super('instruments', 'instruments', undefined, undefined, onSerialize);
  }

  protected snapshotData(): readonly WireInstrument[] {
    return this.list();
  }

  protected start(): void {
    this.subscription = this.changes.subscribe((changed) => {
      this.publish(changed, Date.now() * 1000);
    });
  }

  protected stop(): void {
    this.subscription?.unsubscribe();
    this.subscription = undefined;
  }
}
