import { afterEach, describe, expect, it } from 'vitest';
import { okxDialect, type OkxDialectOptions } from './okx';
import { Harness, sharedSource } from './test-support/harness';
import { recordedFrames } from './test-support/recorded-lines';

const OKX = 'okx/okx-v5-public.ndjson';

const harness = new Harness();
afterEach(() => harness.cleanup());

async function okxExchange(options: OkxDialectOptions = {}, speed: number | 'max' = 'max') {
  const dialect = okxDialect(options);
  const source = await sharedSource(dialect, [OKX]);
  return harness.exchange({ dialect, source, speed });
}

function recordedOf(channel: string, instId: string): string[] {
  return recordedFrames(OKX).filter((frame) =>
    frame.startsWith(`{"arg":{"channel":"${channel}","instId":"${instId}"}`),
  );
}

describe('OKX v5 dialect', () => {
  it('acks each subscribed arg and sends exactly the recorded pushes of those channels', async () => {
    const exchange = await okxExchange();
    const client = await harness.client(exchange.url('/ws/v5/public'));
    client.send({
      op: 'subscribe',
      args: [
        { channel: 'books', instId: 'BTC-USDT' },
        { channel: 'trades', instId: 'UNI-USD-SWAP' },
      ],
    });
    await client.waitFor(() => client.messages.length >= 2, 'two acks');
    expect(client.texts()).toEqual([
      '{"event":"subscribe","arg":{"channel":"books","instId":"BTC-USDT"}}',
      '{"event":"subscribe","arg":{"channel":"trades","instId":"UNI-USD-SWAP"}}',
    ]);
    const books = recordedOf('books', 'BTC-USDT');
    const trades = recordedOf('trades', 'UNI-USD-SWAP');
    expect(books.length).toBeGreaterThan(90);
    exchange.start();
    await exchange.finished;
    await client.waitFor(() => client.messages.length >= 2 + books.length + trades.length, 'all pushes');
    const pushes = client.texts().slice(2);
    expect(pushes.filter((text) => text.includes('"channel":"books"'))).toEqual(books);
    expect(pushes.filter((text) => text.includes('"channel":"trades"'))).toEqual(trades);
    expect(pushes).toHaveLength(books.length + trades.length);
  });

  it('stops a channel on unsubscribe', async () => {
    const exchange = await okxExchange({}, 20);
    const client = await harness.client(exchange.url('/ws/v5/public'));
    client.send({
      op: 'subscribe',
      args: [
        { channel: 'books', instId: 'BTC-USD-220527' },
        { channel: 'books', instId: 'BTC-USDT' },
      ],
    });
    exchange.start();
    const isFuture = (text: string): boolean => text.includes('"instId":"BTC-USD-220527"},"action"');
    await client.waitFor(() => client.texts().filter(isFuture).length >= 10, '10 book frames');
    client.send({ op: 'unsubscribe', args: [{ channel: 'books', instId: 'BTC-USD-220527' }] });
    const ack = await client.next(
      (text) => text === '{"event":"unsubscribe","arg":{"channel":"books","instId":"BTC-USD-220527"}}',
      'unsubscribe ack',
    );
    await exchange.finished;
    const after = client.texts().slice(client.messages.indexOf(ack) + 1);
    expect(after.filter(isFuture)).toEqual([]);
    expect(after.some((text) => text.includes('"instId":"BTC-USDT"},"action"'))).toBe(true);
  });

  it('answers unknown instruments, ops and bad JSON with OKX error codes', async () => {
    const exchange = await okxExchange();
    const client = await harness.client(exchange.url('/ws/v5/public'));
    client.send({ op: 'subscribe', args: [{ channel: 'books', instId: 'DOGE-XYZ' }] });
    client.send({ op: 'dance', args: [] });
    client.send('{"op":"subscribe","argss":[]}');
    client.send('not json');
    await client.waitFor(() => client.messages.length >= 4, 'four errors');
    expect(client.texts()).toEqual([
      '{"event":"error","code":"60018","msg":"Wrong URL or channel:books,instId:DOGE-XYZ doesn\'t exist. Please use the correct URL, channel and parameters referring to API document."}',
      '{"event":"error","code":"60019","msg":"Invalid op: dance"}',
      '{"event":"error","code":"60012","msg":"Invalid request: {\\"op\\":\\"subscribe\\",\\"argss\\":[]}"}',
      '{"event":"error","code":"60012","msg":"Invalid request: not json"}',
    ]);
  });

  it('answers the text ping with the text pong', async () => {
    const exchange = await okxExchange();
    const client = await harness.client(exchange.url('/ws/v5/public'));
    client.send('ping');
    await client.next((text) => text === 'pong', 'pong');
  });

  it('drops a connection nothing was pushed to for the idle timeout, but not one that pings', async () => {
    const exchange = await okxExchange({ idleTimeoutMs: 200 });
    const idle = await harness.client(exchange.url('/ws/v5/public'));
    const pinging = await harness.client(exchange.url('/ws/v5/public'));
    const opened = performance.now();
    const timer = setInterval(() => {
      pinging.send('ping');
    }, 50);
    try {
      const closed = await idle.closed;
      expect(closed).toMatchObject({ code: 4004, reason: 'No data received in 30s.' });
      expect(closed.at - opened).toBeGreaterThanOrEqual(190);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(pinging.isClosed).toBe(false);
    } finally {
      clearInterval(timer);
    }
  });
});
