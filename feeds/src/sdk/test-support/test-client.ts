import WebSocket from 'ws';
import { TickwireClient } from '../tickwire-client';
import type { TickwireClientOptions } from '../tickwire-client-options';

/**
 * A client on Node's `ws`, reconnecting at once (random 0) unless the test says otherwise; over
 * WebSocket only unless the test picks another transport (the fallback has its own specs).
 */
export function testClient(
  urls: string | readonly string[],
  options: Partial<TickwireClientOptions> = {},
): TickwireClient {
  return new TickwireClient({
    urls: typeof urls === 'string' ? [urls] : urls,
    WebSocket,
    transport: 'websocket',
    reconnect: { baseMs: 20, maxMs: 200, random: () => 0 },
    ...options,
  });
}
