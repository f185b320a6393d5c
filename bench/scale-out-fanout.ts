/**
 * Fan-out through the NATS scale-out: 1 ingest (simulated venue) and 1 or 2 gateway processes
 * (the built backend), `CLIENTS` WebSocket clients in a separate process spread over the gateways,
 * all on the same book and trades channels. Prints delivered messages per second and per gateway
 * CPU-second for each layout. Needs `npx nx run backend:build` and /usr/sbin/nats-server.
 *
 *   npx tsx bench/scale-out-fanout.ts [--clients 500] [--seconds 10] [--rate 1000]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAIN = join(ROOT, 'dist/backend/backend/src/main.js');
const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? Number(args[index + 1]) : fallback;
};
const CLIENTS = option('clients', 500);
const SECONDS = option('seconds', 10);
/** Simulated venue messages per second (the ingest's input). */
const RATE = option('rate', 1000);
const WARMUP_SECONDS = 3;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        resolve(typeof address === 'object' && address !== null ? address.port : 0);
      });
    });
    server.once('error', reject);
  });
}

/** utime + stime of a process, in seconds (Linux /proc; clock ticks are 100 Hz here). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function waitHealthy(url: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} not healthy`);
}

function startGateway(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    env: { ...process.env, TICKWIRE_HOST: '127.0.0.1', TICKWIRE_MAX_CONNECTIONS_PER_ADDRESS: '100000', ...env },
    stdio: 'ignore',
  });
}

/** The client process: opens the sockets, subscribes, counts messages after the warm-up. */
const CLIENT_SCRIPT = `
const WebSocket = require('ws');
const [urls, clients, warmup, seconds] = [JSON.parse(process.argv[1]), +process.argv[2], +process.argv[3], +process.argv[4]];
let counting = false, count = 0;
for (let i = 0; i < clients; i++) {
  const ws = new WebSocket(urls[i % urls.length], ['tickwire.v1']);
  ws.on('open', () => {
    ws.send(JSON.stringify({ op: 'subscribe', channel: 'book', instrument: 'simulated:BTC-USDT', depth: 20, intervalMs: 0 }));
    ws.send(JSON.stringify({ op: 'subscribe', channel: 'trades', instrument: 'simulated:BTC-USDT' }));
  });
  ws.on('message', () => { if (counting) count++; });
  ws.on('error', () => {});
}
setTimeout(() => { counting = true; process.send('start'); }, warmup * 1000);
setTimeout(() => { process.send({ count }); process.exit(0); }, (warmup + seconds) * 1000);
`;

async function run(gatewayCount: number): Promise<Record<string, number | string>> {
  const dir = mkdtempSync(join(tmpdir(), 'tickwire-bench-nats-'));
  const natsPort = await freePort();
  const nats = spawn('/usr/sbin/nats-server', ['-a', '127.0.0.1', '-p', String(natsPort), '-js', '-sd', dir], {
    stdio: 'ignore',
  });
  const bus = { TICKWIRE_BUS_URL: `nats://127.0.0.1:${natsPort}` };
  const processes: ChildProcess[] = [nats];
  try {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const ingestPort = await freePort();
    const config = join(dir, 'ingest.json');
    writeFileSync(
      config,
      JSON.stringify({ feeds: [{ kind: 'simulated', protocol: 'binance', messagesPerSecond: RATE }] }),
    );
    const ingest = startGateway({
      ...bus,
      TICKWIRE_ROLE: 'ingest',
      TICKWIRE_CONFIG: config,
      TICKWIRE_PORT: String(ingestPort),
    });
    processes.push(ingest);
    await waitHealthy(`http://127.0.0.1:${ingestPort}/api/health`);
    const ports: number[] = [];
    const gateways: ChildProcess[] = [];
    for (let i = 0; i < gatewayCount; i++) {
      const port = await freePort();
      const gateway = startGateway({ ...bus, TICKWIRE_ROLE: 'gateway', TICKWIRE_PORT: String(port) });
      processes.push(gateway);
      gateways.push(gateway);
      ports.push(port);
    }
    for (const port of ports) await waitHealthy(`http://127.0.0.1:${port}/api/health`);
    const urls = ports.map((port) => `ws://127.0.0.1:${port}/api/v1/stream`);
    const client = spawn(
      process.execPath,
      ['-e', CLIENT_SCRIPT, JSON.stringify(urls), String(CLIENTS), String(WARMUP_SECONDS), String(SECONDS)],
      {
        cwd: ROOT,
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      },
    );
    processes.push(client);
    let cpuStart: number[] = [];
    let ingestStart = 0;
    const count = await new Promise<number>((resolve) => {
      client.on('message', (message: unknown) => {
        if (message === 'start') {
          cpuStart = gateways.map((gateway) => cpuSeconds(gateway.pid ?? 0));
          ingestStart = cpuSeconds(ingest.pid ?? 0);
        } else resolve((message as { count: number }).count);
      });
    });
    const gatewayCpu = gateways.reduce(
      (sum, gateway, index) => sum + cpuSeconds(gateway.pid ?? 0) - (cpuStart[index] ?? 0),
      0,
    );
    const ingestCpu = cpuSeconds(ingest.pid ?? 0) - ingestStart;
    return {
      layout: `1 ingest + ${gatewayCount} gateway${gatewayCount > 1 ? 's' : ''}`,
      clients: CLIENTS,
      'venue msgs/s': RATE,
      'delivered msgs/s': Math.round(count / SECONDS),
      'gateway CPU-s/s': Number((gatewayCpu / SECONDS).toFixed(2)),
      'msgs per gateway CPU-s': Math.round(count / Math.max(gatewayCpu, 0.01)),
      'ingest CPU-s/s': Number((ingestCpu / SECONDS).toFixed(2)),
    };
  } finally {
    for (const child of processes.reverse()) child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(`node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores`);
  const rows = [await run(1), await run(2)];
  console.table(rows);
}

void main();
