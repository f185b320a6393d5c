import { DestroyRef, Injectable, inject, signal } from '@angular/core';
import type { WireInstrument } from '@tickwire/feeds';
import { TICKWIRE_CLIENT } from './tickwire-client';

/** Every instrument the gateway serves, from the `instruments` channel, sorted by venue then symbol. */
@Injectable({ providedIn: 'root' })
export class InstrumentsService {
  private readonly client = inject(TICKWIRE_CLIENT);
  private readonly byId = new Map<string, WireInstrument>();
  private readonly current = signal<readonly WireInstrument[]>([]);
  private readonly loadedOnce = signal(false);
  readonly instruments = this.current.asReadonly();
  readonly loaded = this.loadedOnce.asReadonly();

  constructor() {
    const subscription = this.client.instruments().subscribe({
      next: (message) => {
        if (message.type === 'snapshot') this.byId.clear();
        for (const instrument of message.data) this.byId.set(instrument.instrument, instrument);
        this.current.set(sortInstruments([...this.byId.values()]));
        this.loadedOnce.set(true);
      },
      error: (error: unknown) => {
        console.error('instruments channel failed', error);
      },
    });
    inject(DestroyRef).onDestroy(() => {
      subscription.unsubscribe();
    });
  }

  find(instrument: string): WireInstrument | undefined {
    return this.byId.get(instrument);
  }
}

export function sortInstruments(instruments: WireInstrument[]): WireInstrument[] {
  return instruments.sort((a, b) =>
    a.venue === b.venue ? (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0) : a.venue < b.venue ? -1 : 1,
  );
}
