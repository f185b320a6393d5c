import 'reflect-metadata';
import { API_SUBPROTOCOL } from '@tickwire/feeds';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import { type RunningGateway, simulatedConfig, startGateway } from '../test-support/gateway-harness';
import { rawText } from './raw-text';
import { ChannelRegistry } from './channel-registry';

const CLIENTS = 50;
const SUBSCRIBE = { op: 'subscribe', channel: 'book', instrument: 'simulated:BTC-USDT', depth: 20, intervalMs: 0 };

/** Raw update frames by seq, as the client received the bytes. */
async function openRecorder(url: string): Promise<{ socket: WebSocket; updates: Map<number, string> }> {
  const socket = new WebSocket(url, [API_SUBPROTOCOL]);
  const updates = new Map<number, string>();
  socket.on('message', (data) => {
    const text = rawText(data);
    if (!text.startsWith('{"type":"update"')) return;
    updates.set((JSON.parse(text) as { seq: number }).seq, text);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  return { socket, updates };
}

describe('fan-out of one channel', () => {
  let gateway: RunningGateway;

  beforeAll(async () => {
    gateway = await startGateway(simulatedConfig({}, 1000));
  });

  afterAll(async () => {
    await gateway.close();
  });

  it('serializes each update once and sends the same bytes to every subscriber', async () => {
    const metrics = gateway.app.get(GatewayMetrics);
    const clients = await Promise.all(Array.from({ length: CLIENTS }, () => openRecorder(gateway.streamUrl)));
    for (const client of clients) client.socket.send(JSON.stringify(SUBSCRIBE));
    const registry = gateway.app.get(ChannelRegistry);
    const deadline = Date.now() + 20_000;
    while (clients.some((client) => client.updates.size < 20) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(registry.size).toBe(1);
    const serializedBefore = (await metrics.serializations.get()).values[0]?.value ?? 0;
    const sentBefore = (await metrics.messagesOut.get()).values.find((v) => v.labels['channel'] === 'book')?.value ?? 0;
    const received = clients[0]!.updates.size;
    while (clients[0]!.updates.size < received + 20 && Date.now() < deadline + 20_000) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const serialized = ((await metrics.serializations.get()).values[0]?.value ?? 0) - serializedBefore;
    const sent =
      ((await metrics.messagesOut.get()).values.find((v) => v.labels['channel'] === 'book')?.value ?? 0) - sentBefore;
    expect(serialized).toBeGreaterThan(0);
    // One serialization per update, each sent to all subscribers.
    expect(sent).toBe(serialized * CLIENTS);
    // Every subscriber got byte-identical frames for the seqs they share.
    const reference = clients[0]!.updates;
    for (const client of clients.slice(1)) {
      for (const [seq, text] of client.updates) if (reference.has(seq)) expect(text).toBe(reference.get(seq));
    }
    for (const client of clients) client.socket.close();
  }, 60_000);
});
