import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MarketEvent } from '../model/events';

const WORKSPACE = resolve(__dirname, '../../..');
const TICKWIRE = join(WORKSPACE, 'scripts/tickwire.mjs');

function waitFor(child: ChildProcessWithoutNullStreams, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolveMatch, reject) => {
    let output = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      output += chunk;
      const match = pattern.exec(output);
      if (match !== null) resolveMatch(match);
    });
    child.on('exit', (code) => {
      reject(new Error(`exited (${String(code)}) before ${String(pattern)}: ${output}`));
    });
  });
}

describe('tickwire stream (command)', () => {
  it('prints normalized NDJSON events from a venue: here the simulated one', async () => {
    const simulate = spawn(process.execPath, [TICKWIRE, 'simulate', '--rate', '2000']);
    try {
      const [, base = ''] = await waitFor(simulate, /WebSocket: (ws:\/\/[^/\s]+)/);
      const stream = spawn(process.execPath, [
        TICKWIRE,
        'stream',
        '--venue',
        'binance',
        '--symbol',
        'BTC-USDT',
        '--ws',
        base,
        '--rest',
        `${base.replace('ws://', 'http://')}/api/v3`,
        '--duration',
        '4',
      ]);
      let output = '';
      stream.stdout.setEncoding('utf8');
      stream.stdout.on('data', (chunk: string) => (output += chunk));
      const code = await new Promise<number | null>((done) => stream.on('exit', done));
      expect(code).toBe(0);
      const events = output
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as MarketEvent);
      expect(events.find((e) => e.type === 'book_snapshot')).toMatchObject({ venue: 'binance', symbol: 'BTC-USDT' });
      expect(events.filter((e) => e.type === 'book_delta').length).toBeGreaterThan(5);
      const trade = events.find((e) => e.type === 'trade');
      expect(trade?.type === 'trade' && trade.price).toMatch(/^\d+(\.\d*[1-9])?$/);
    } finally {
      simulate.kill();
    }
  }, 40_000);
});
