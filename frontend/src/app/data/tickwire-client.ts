import { DestroyRef, InjectionToken, inject } from '@angular/core';
import { API_STREAM_PATH } from '@tickwire/feeds';
import { TickwireClient } from './sdk';

/** The gateway's stream on the origin that served the terminal (the dev server proxies it). */
export function streamUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${API_STREAM_PATH}`;
}

/**
 * The terminal's one connection to the gateway: the SDK client over the browser's WebSocket. It
 * reconnects by itself (backoff capped at a few seconds: one gateway, a trader waiting) and
 * subscribes again to everything still observed.
 */
export const TICKWIRE_CLIENT = new InjectionToken<TickwireClient>('TickwireClient', {
  providedIn: 'root',
  factory: () => {
    const client = new TickwireClient({
      urls: [streamUrl(globalThis.location)],
      WebSocket: globalThis.WebSocket,
      reconnect: { baseMs: 250, maxMs: 3000 },
    });
    inject(DestroyRef).onDestroy(() => {
      void client.close();
    });
    return client;
  },
});
