import 'reflect-metadata';
import type { PriceLevel, WireInstrument } from '@tickwire/feeds';
import { sharedRecording } from '@tickwire/feeds/test-support/shared-recordings';
import { describe, expect, it } from 'vitest';
import { startGateway } from '../test-support/gateway-harness';
import { StreamClient } from '../test-support/stream-client';
import { incrementOf, observedIncrements } from './observed-increments';

const level = (price: string, size: string): PriceLevel => [price, size] as unknown as PriceLevel;

describe('observed increments', () => {
  it('are the finest places a book shows', () => {
    expect(incrementOf(0)).toBe('1');
    expect(incrementOf(3)).toBe('0.001');
    expect(
      observedIncrements([level('0.07765', '12.5'), level('0.0776', '3')], [level('0.07771', '0.00000001')]),
    ).toEqual({
      tickSize: '0.00001',
      lotSize: '0.00000001',
    });
    expect(observedIncrements([], [])).toBeUndefined();
  });

  it('an instrument without venue increments gets them from its first book, announced on the instruments channel', async () => {
    const gateway = await startGateway({
      feeds: [
        {
          kind: 'replay',
          venue: 'coinbase',
          file: sharedRecording('coinbase/coinbase-exchange-ws.ndjson'),
          symbols: ['SKL-USD'],
          speed: 'max',
          pinned: false,
        },
      ],
    });
    try {
      const client = await StreamClient.open(gateway.streamUrl);
      client.send({ op: 'subscribe', channel: 'instruments' });
      const snapshot = await client.next((m) => m.type === 'snapshot' && m.channel === 'instruments', 'instruments');
      const before = (snapshot as unknown as { data: WireInstrument[] }).data[0]!;
      expect(before.increments).toBe('unknown');
      client.send({ op: 'subscribe', channel: 'book', instrument: 'coinbase:SKL-USD', depth: 5, intervalMs: 0 });
      const update = await client.next((m) => m.type === 'update' && m.channel === 'instruments', 'instruments update');
      const after = (update as unknown as { data: WireInstrument[] }).data[0]!;
      expect(after).toMatchObject({ instrument: 'coinbase:SKL-USD', increments: 'observed' });
      expect(after.tickSize).toMatch(/^0\.0*1$/);
      const rest = (await (
        await fetch(`${gateway.baseUrl}/api/v1/instruments/coinbase:SKL-USD`)
      ).json()) as WireInstrument;
      expect(rest.tickSize).toBe(after.tickSize);
      await client.close();
    } finally {
      await gateway.close();
    }
  }, 60_000);
});
