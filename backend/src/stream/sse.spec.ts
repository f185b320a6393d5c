import 'reflect-metadata';
import type { ServerMessage, SessionMessage } from '@tickwire/feeds';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningGateway, simulatedConfig, startGateway } from '../test-support/gateway-harness';
import { SseClient } from '../test-support/sse-client';
import { StreamClient } from '../test-support/stream-client';

/* The channels over Server-Sent Events: the same bytes as over WebSocket, Last-Event-ID resume, requests by POST. */

const BOOK = { channel: 'book', instrument: 'simulated:BTC-USDT', depth: 10, intervalMs: 0 };
const TRADES = { channel: 'trades', instrument: 'simulated:BTC-USDT' };

type Sequenced = Extract<ServerMessage, { seq: number }>;

function ofChannel(messages: readonly ServerMessage[], channel: string): Sequenced[] {
  return messages.filter(
    (m): m is Sequenced => (m.type === 'snapshot' || m.type === 'update') && m.channel === channel,
  );
}

function sseUrl(gateway: RunningGateway, subscriptions: unknown[], extra = ''): string {
  return `${gateway.baseUrl}/api/v1/sse?subscribe=${encodeURIComponent(JSON.stringify(subscriptions))}${extra}`;
}

describe('Server-Sent Events fallback', () => {
  let gateway: RunningGateway;

  beforeAll(async () => {
    gateway = await startGateway(simulatedConfig({ auth: { allowedOrigins: ['http://allowed.example'] } }, 1000));
  });

  afterAll(async () => {
    await gateway.close();
  });

  it('an SSE client receives exactly the messages a WebSocket client gets for the same channel', async () => {
    const ws = await StreamClient.open(gateway.streamUrl);
    ws.send({ op: 'subscribe', ...BOOK });
    ws.send({ op: 'subscribe', ...TRADES });
    const sse = await SseClient.open(sseUrl(gateway, [BOOK, TRADES]));
    expect(sse.status).toBe(200);
    await sse.until(
      () => ofChannel(sse.messages(), 'book').length > 30 && ofChannel(sse.messages(), 'trades').length > 3,
      'SSE updates',
    );
    const sseMessages = sse.messages();
    expect(sseMessages[0]?.type).toBe('session');
    for (const channel of ['book', 'trades']) {
      const viaSse = ofChannel(sseMessages, channel);
      expect(viaSse[0]?.type).toBe('snapshot');
      for (let i = 1; i < viaSse.length; i++) expect(viaSse[i]!.seq).toBe(viaSse[i - 1]!.seq + 1);
      const last = viaSse.at(-1)!.seq;
      await ws.until(
        () => ofChannel(ws.messages, channel).some((m) => m.type === 'update' && m.seq >= last),
        `ws ${channel}`,
      );
      const viaWs = new Map(
        ofChannel(ws.messages, channel)
          .filter((m) => m.type === 'update')
          .map((m) => [m.seq, JSON.stringify(m)]),
      );
      const shared = viaSse.filter((m) => m.type === 'update' && viaWs.has(m.seq));
      expect(shared.length).toBeGreaterThan(channel === 'book' ? 20 : 2);
      for (const message of shared) expect(JSON.stringify(message)).toBe(viaWs.get(message.seq));
    }
    // The SSE event data is the WebSocket frame text itself.
    const rawUpdate = sse.events.find((event) => event.data.startsWith('{"type":"update"'))!;
    expect(rawUpdate.id).toMatch(/=/);
    sse.abort();
    await ws.close();
  }, 60_000);

  it('Last-Event-ID resumes every stream without loss or duplicate', async () => {
    const ws = await StreamClient.open(gateway.streamUrl);
    ws.send({ op: 'subscribe', ...BOOK });
    const first = await SseClient.open(sseUrl(gateway, [BOOK]));
    await first.until(() => ofChannel(first.messages(), 'book').length > 10, 'first updates');
    first.abort();
    await first.done;
    const before = ofChannel(first.messages(), 'book');
    const lastSeq = before.at(-1)!.seq;
    const token = first.lastEventId!;
    // Miss a few updates while disconnected.
    await ws.until(() => ofChannel(ws.messages, 'book').some((m) => m.seq >= lastSeq + 5), 'updates while away');
    const second = await SseClient.open(sseUrl(gateway, [BOOK]), { 'Last-Event-ID': token });
    await second.until(() => ofChannel(second.messages(), 'book').length > 10, 'resumed updates');
    const after = ofChannel(second.messages(), 'book');
    expect(after[0]?.type).toBe('update');
    expect(after[0]?.seq).toBe(lastSeq + 1);
    const seqs = [...before, ...after].map((m) => m.seq);
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBe(seqs[i - 1]! + 1);
    // Same bytes as the WebSocket client for every resumed seq.
    const viaWs = new Map(ofChannel(ws.messages, 'book').map((m) => [m.seq, JSON.stringify(m)]));
    await ws.until(() => ofChannel(ws.messages, 'book').some((m) => m.seq >= after.at(-1)!.seq), 'ws catches up');
    for (const m of ofChannel(ws.messages, 'book')) viaWs.set(m.seq, JSON.stringify(m));
    for (const message of after) expect(JSON.stringify(message)).toBe(viaWs.get(message.seq));
    second.abort();
    await ws.close();
  }, 60_000);

  it('a resume token from another stream incarnation or too old gets a fresh snapshot', async () => {
    const key = encodeURIComponent('book simulated:BTC-USDT 10 0');
    for (const token of [`${key}=zzzz0.5`, `${key}=`, 'garbage']) {
      const sse = await SseClient.open(sseUrl(gateway, [BOOK]), { 'Last-Event-ID': token });
      await sse.until(() => ofChannel(sse.messages(), 'book').length > 0, 'first book message');
      expect(ofChannel(sse.messages(), 'book')[0]?.type).toBe('snapshot');
      sse.abort();
    }
  }, 30_000);

  it('requests posted to the session are answered on its stream', async () => {
    const sse = await SseClient.open(sseUrl(gateway, []));
    await sse.until(() => sse.messages().length > 0, 'session message');
    const session = sse.messages()[0] as SessionMessage;
    expect(session.type).toBe('session');
    const post = (body: unknown, id = session.id): Promise<Response> =>
      fetch(`${gateway.baseUrl}/api/v1/sse/${id}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post({ op: 'subscribe', id: 7, ...TRADES })).status).toBe(202);
    await sse.until(
      () => sse.messages().some((m) => m.type === 'snapshot' && m.channel === 'trades'),
      'trades snapshot',
    );
    expect(sse.messages().some((m) => m.type === 'ack' && m.id === 7)).toBe(true);
    expect((await post({ op: 'ping', id: 8 })).status).toBe(202);
    await sse.until(() => sse.messages().some((m) => m.type === 'pong' && m.id === 8), 'pong');
    expect((await post({ op: 'subscribe', id: 9, channel: 'book', instrument: 'simulated:NOPE-USDT' })).status).toBe(
      202,
    );
    await sse.until(
      () => sse.messages().some((m) => m.type === 'error' && m.id === 9 && m.code === 'unknown_instrument'),
      'error',
    );
    expect((await post({ op: 'ping' }, 'no-such-session')).status).toBe(404);
    const tooBig = await post({ op: 'ping', pad: 'x'.repeat(gateway.config.limits.maxPayloadBytes) });
    expect(tooBig.status).toBe(413);
    sse.abort();
  }, 30_000);

  it('refuses a foreign Origin, a bad subscription list and a bad token before opening', async () => {
    expect((await fetch(sseUrl(gateway, [BOOK]), { headers: { Origin: 'http://evil.example' } })).status).toBe(403);
    const allowed = await SseClient.open(sseUrl(gateway, [BOOK]), { Origin: 'http://allowed.example' });
    expect(allowed.status).toBe(200);
    allowed.abort();
    expect((await fetch(`${gateway.baseUrl}/api/v1/sse?subscribe=notjson`)).status).toBe(400);
    expect(
      (await fetch(sseUrl(gateway, [{ channel: 'book', instrument: 'simulated:BTC-USDT', depth: 0 }]))).status,
    ).toBe(400);
    expect((await fetch(sseUrl(gateway, [BOOK], '&token=not-a-key'))).status).toBe(401);
  }, 30_000);
});
