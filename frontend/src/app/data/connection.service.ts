import { DestroyRef, Injectable, inject, signal } from '@angular/core';
import type { ConnectionState } from './sdk';
import { TICKWIRE_CLIENT } from './tickwire-client';

/** The SDK's connection state as a signal (it changes a few times per connection, not per message). */
@Injectable({ providedIn: 'root' })
export class ConnectionService {
  private readonly client = inject(TICKWIRE_CLIENT);
  private readonly current = signal<ConnectionState>(this.client.connectionState);
  readonly state = this.current.asReadonly();

  constructor() {
    const subscription = this.client.connectionState$.subscribe((state) => {
      this.current.set(state);
    });
    inject(DestroyRef).onDestroy(() => {
      subscription.unsubscribe();
    });
  }
}
