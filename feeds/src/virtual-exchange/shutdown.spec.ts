import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ExchangeStats } from './exchange-stats';
import { krakenDialect } from './kraken';
import { Harness, sharedSource } from './test-support/harness';
import { TestClient } from './test-support/test-client';

const harness = new Harness();
afterEach(() => harness.cleanup());

function count(resources: readonly string[], name: string): number {
  return resources.filter((resource) => resource === name).length;
}

describe('shutdown', () => {
  it('ends every socket with 1001, stops the timeline and closes the server', async () => {
    const baseline = process.getActiveResourcesInfo();
    const dialect = krakenDialect({ heartbeatIntervalMs: 20 });
    const source = await sharedSource(dialect, ['kraken/kraken-v1-book1000.ndjson']);
    const exchange = await harness.exchange({
      dialect,
      source,
      speed: 1,
      faults: [
        { kind: 'closeEvery', every: 60_000 },
        { kind: 'stall', after: 50, duration: 60_000 },
      ],
    });
    const clients = [await harness.client(exchange.url('/')), await harness.client(exchange.url('/'))];
    clients[0]!.send({ event: 'subscribe', pair: ['XMR/USD'], subscription: { name: 'book', depth: 1000 } });
    exchange.start();
    await new Promise((done) => setTimeout(done, 100));
    expect(count(process.getActiveResourcesInfo(), 'TCPServerWrap')).toBe(count(baseline, 'TCPServerWrap') + 1);

    const closing = exchange.close();
    expect(exchange.close()).toBe(closing);
    await closing;
    for (const client of clients) expect((await client.closed).code).toBe(1001);
    await exchange.finished;
    const stats: ExchangeStats = exchange.stats();
    expect(stats).toMatchObject({ connectionsOpen: 0, connectionsOpened: 2, timeline: 'stopped' });
    await expect(TestClient.connect(exchange.url('/'))).rejects.toThrow(/ECONNREFUSED/);
    await new Promise((done) => setTimeout(done, 20));
    const after = process.getActiveResourcesInfo();
    expect(count(after, 'TCPServerWrap')).toBe(count(baseline, 'TCPServerWrap'));
    expect(count(after, 'TCPSocketWrap')).toBeLessThanOrEqual(count(baseline, 'TCPSocketWrap'));
  });

  it('leaves nothing that keeps a process alive: a probe process exits on its own', async () => {
    const probe = resolve(__dirname, 'test-support/exit-probe.ts');
    const child = spawn(process.execPath, ['--import', 'tsx', probe], { cwd: resolve(__dirname, '../../..') });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exit = await new Promise<number | string>((done) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        done('still running after 20 s');
      }, 20_000);
      child.on('exit', (code) => {
        clearTimeout(timer);
        done(code ?? 'killed');
      });
    });
    expect({ exit, stderr }).toEqual({ exit: 0, stderr: '' });
    const report = JSON.parse(stdout) as { closeCode: number; stats: ExchangeStats };
    expect(report.closeCode).toBe(1001);
    expect(report.stats).toMatchObject({ connectionsOpen: 0, httpRequests: 1 });
    expect(report.stats.pingsSent).toBeGreaterThan(0);
  }, 30_000);
});
