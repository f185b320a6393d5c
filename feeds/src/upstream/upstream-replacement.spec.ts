import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FeedStatusEvent, MarketEvent, TradeEvent } from '../model/events';
import { LoopbackVenue, toyAdapter, until } from './test-support/toy-venue';
import { UpstreamConnection } from './upstream-connection';

/*
 * A venue that announces a shutdown may close the old connection before the replacement carries
 * data (Binance gives no documented grace period): the replacement, already opening, takes over
 * then, with no disconnect shown to consumers and no reconnect from scratch.
 */

let venue: LoopbackVenue;
beforeEach(async () => {
  venue = await LoopbackVenue.start();
});
afterEach(async () => {
  await venue.close();
});

function run() {
  const events: MarketEvent[] = [];
  const upstream = new UpstreamConnection({
    adapter: toyAdapter(venue.url, 10_000),
    subscriptions: [{ symbol: 'ETH-USD', channel: 'trades' }],
    onEvent: (event) => events.push(event),
    reconnectBaseMs: 10,
    reconnectMaxMs: 20,
  });
  upstream.start();
  return { events, upstream };
}

function connectionStates(events: readonly MarketEvent[]): FeedStatusEvent['state'][] {
  return events.filter((e): e is FeedStatusEvent => e.type === 'status' && e.symbol === null).map((e) => e.state);
}

describe('UpstreamConnection: the old link closes before its replacement is ready', () => {
  it('closed after the replacement opened but before it carried data: the replacement takes over', async () => {
    const { events, upstream } = run();
    await until(() => venue.received.includes('0:sub ETH-USD'));
    venue.sockets[0]!.send('trade ETH-USD 1');
    await until(() => events.some((e) => e.type === 'trade'));
    venue.sockets[0]!.send('shutdown');
    await until(() => venue.received.includes('1:sub ETH-USD'));
    venue.sockets[0]!.terminate();
    await until(() => upstream.stats.replacements === 1 && venue.sockets[0]!.readyState === venue.sockets[0]!.CLOSED);
    await new Promise((resolve) => setTimeout(resolve, 100));
    venue.sockets[1]!.send('trade ETH-USD 2');
    await until(() => events.filter((e) => e.type === 'trade').length === 2);
    expect(events.filter((e): e is TradeEvent => e.type === 'trade').map((e) => e.tradeId)).toEqual(['1', '2']);
    expect(upstream.stats).toMatchObject({ replacements: 1, reconnects: 0, connectionsOpened: 2 });
    expect(connectionStates(events)).not.toContain('disconnected');
    expect(venue.sockets).toHaveLength(2);
    expect(upstream.isOpen).toBe(true);
    await upstream.stop();
  });

  it('closed at once, while the replacement is still connecting: it takes over when it opens', async () => {
    const { events, upstream } = run();
    await until(() => venue.received.includes('0:sub ETH-USD'));
    venue.sockets[0]!.send('shutdown');
    // The venue drops the old socket right after its notice.
    venue.sockets[0]!.close(1001, 'going away');
    await until(() => venue.received.includes('1:sub ETH-USD'));
    venue.sockets[1]!.send('trade ETH-USD 9');
    await until(() => events.some((e) => e.type === 'trade'));
    expect(upstream.stats).toMatchObject({ replacements: 1, reconnects: 0, connectionsOpened: 2 });
    expect(connectionStates(events)).not.toContain('disconnected');
    expect(venue.sockets).toHaveLength(2);
    await upstream.stop();
  });
});
