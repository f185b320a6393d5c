/*
 * Run as its own process by shutdown.spec.ts: starts an exchange with timers of every kind
 * (pings, heartbeats, closeEvery, a delay fault), serves a client, closes the exchange and then
 * simply returns. If anything were left open (a socket, a timer), the process would not exit.
 */
import { binanceDialect } from '../binance';
import { createVirtualExchange } from '../exchange';
import { sharedSource } from './harness';
import { TestClient } from './test-client';

async function main(): Promise<void> {
  const dialect = binanceDialect({ pingIntervalMs: 20, pongTimeoutMs: 10_000, maxIncomingPerSecond: 10_000 });
  const source = await sharedSource(
    dialect,
    ['binance/binance-spot-ws.ndjson'],
    'binance/binance-spot-rest-depth.ndjson',
  );
  const exchange = await createVirtualExchange({
    dialect,
    source,
    speed: 'max',
    faults: [
      { kind: 'closeEvery', every: 60_000 },
      { kind: 'delay', ms: 30_000, index: 100 },
    ],
  });
  const client = await TestClient.connect(exchange.url('/stream?streams=nknusdt@depth@100ms'));
  const rest = await fetch(exchange.httpUrl('/api/v3/depth?symbol=NKNUSDT'));
  await rest.text();
  exchange.start();
  await exchange.finished;
  await client.waitFor(() => client.messages.length >= 50, '50 frames');
  // The client stays connected: closing the exchange must end it.
  await exchange.close();
  const closed = await client.closed;
  process.stdout.write(`${JSON.stringify({ closeCode: closed.code, stats: exchange.stats() })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exitCode = 1;
});
