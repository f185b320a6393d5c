import { Logger } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { probeWebSocket, resolveAutoFeeds } from './auto-feeds';

const logger = new Logger('test');
logger.log = () => undefined;
logger.warn = () => undefined;

describe('feeds: "auto"', () => {
  it('falls back to the simulated venue (crypto and stocks) when no live venue answers', async () => {
    const probed: string[] = [];
    const feeds = await resolveAutoFeeds(logger, (url) => {
      probed.push(url);
      return Promise.resolve(false);
    });
    expect(probed).toHaveLength(4);
    expect(feeds.map((feed) => (feed.kind === 'simulated' ? `simulated ${feed.protocol}` : feed.kind))).toEqual([
      'simulated binance',
      'simulated alpaca',
    ]);
  });

  it('uses every live venue that answers, and no simulation then', async () => {
    const feeds = await resolveAutoFeeds(logger, (url) =>
      Promise.resolve(url.includes('kraken') || url.includes('okx')),
    );
    expect(feeds.map((feed) => (feed.kind === 'live' ? feed.venue : feed.kind))).toEqual(['kraken', 'okx']);
    expect(feeds.every((feed) => feed.kind === 'live' && feed.pinned.length === feed.symbols.length)).toBe(true);
  });

  it('probes with a real WebSocket: open → true, refused → false', async () => {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as { port: number };
    expect(await probeWebSocket(`ws://127.0.0.1:${port}/`)).toBe(true);
    await new Promise((resolve) => server.close(resolve));
    expect(await probeWebSocket(`ws://127.0.0.1:${port}/`, 2000)).toBe(false);
  });
});
