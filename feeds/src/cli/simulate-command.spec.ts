import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BinanceAdapter } from '../adapters/binance/binance-adapter';
import { OrderBook } from '../book';
import type { MarketEvent } from '../model/events';
import { UpstreamConnection } from '../upstream/upstream-connection';

const WORKSPACE = resolve(__dirname, '../../..');

describe('tickwire simulate (command)', () => {
  it('is a live Binance venue for the real adapter: books sync and stay uncrossed, trades flow', async () => {
    const child = spawn(
      process.execPath,
      [join(WORKSPACE, 'scripts/tickwire.mjs'), 'simulate', '--rate', '2000', '--seed', '7'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      const base = await new Promise<string>((resolveBase, reject) => {
        let output = '';
        child.stdout.setEncoding('utf8');
        child.stdout.on('data', (chunk: string) => {
          output += chunk;
          const match = /WebSocket: (ws:\/\/[^/\s]+)/.exec(output);
          if (match?.[1] !== undefined) resolveBase(match[1]);
        });
        child.on('exit', (code) => {
          reject(new Error(`simulate exited early (${String(code)}): ${output}`));
        });
      });
      const adapter = new BinanceAdapter({
        venue: 'binance',
        wsBase: base,
        restBase: `${base.replace('ws://', 'http://')}/api/v3`,
      });
      const events: MarketEvent[] = [];
      const upstream = new UpstreamConnection({
        adapter,
        subscriptions: [
          { symbol: 'BTC-USDT', channel: 'book' },
          { symbol: 'BTC-USDT', channel: 'trades' },
          { symbol: 'ETH-USDT', channel: 'book' },
        ],
        onEvent: (event) => events.push(event),
        requestSpacingMs: 50,
      });
      upstream.start();
      const books = new Map<string, OrderBook>();
      const started = Date.now();
      let crossed = 0;
      let deltas = 0;
      let trades = 0;
      while (Date.now() - started < 20_000 && (deltas < 100 || trades === 0)) {
        await new Promise((r) => setTimeout(r, 50));
        for (const event of events.splice(0)) {
          if (event.type === 'book_snapshot' || event.type === 'book_delta') {
            const book = books.get(event.symbol) ?? new OrderBook();
            books.set(event.symbol, book);
            book.applyEvent(event);
            if (event.type === 'book_delta') deltas++;
            if (book.isCrossed()) crossed++;
          }
          if (event.type === 'trade') trades++;
        }
      }
      await upstream.stop();
      expect(deltas).toBeGreaterThanOrEqual(100);
      expect(trades).toBeGreaterThan(0);
      expect(crossed).toBe(0);
      expect(books.get('BTC-USDT')?.levelCount('bid')).toBeGreaterThan(10);
      expect(books.get('ETH-USDT')?.bestAsk()).toBeDefined();
      expect(upstream.stats.outcomes.rejected).toEqual({});
    } finally {
      child.kill();
    }
  }, 40_000);
});
