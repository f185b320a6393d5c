import { describe, expect, it } from 'vitest';
import { CollectingSink } from '../collecting-sink';
import { BinanceAdapter } from './binance-adapter';

/*
 * "A serverShutdown event comes before a shutdown" (WebSocket Streams, connection rules): the
 * session asks its sink for a replacement connection; the connection manager opens it before the
 * old one closes (upstream-binance.shutdown.spec.ts runs that against the virtual exchange).
 */
describe('Binance serverShutdown at the session level', () => {
  it.each(['binance', 'binance-usdm', 'binance-us'] as const)(
    '%s: asks for a replacement, once per notice',
    (venue) => {
      const sink = new CollectingSink();
      const session = new BinanceAdapter({ venue }).createSession([{ symbol: 'BTC-USDT', channel: 'book' }], sink);
      session.open(0);
      session.handleFrame('{"e":"serverShutdown","E":1728346200000}', 1);
      expect(sink.replacements).toEqual(['Binance announced serverShutdown']);
      expect(sink.counts.parsed).toEqual({ serverShutdown: 1 });
      expect(sink.total('rejected')).toBe(0);
      // The session itself keeps working until the manager closes it: the book still syncs.
      session.handleFrame(
        '{"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":1,"s":"BTCUSDT","U":5,"u":6,"pu":4,"b":[["1","1"]],"a":[]}}',
        2,
      );
      expect(sink.counts.parsed['depthUpdate buffered']).toBe(1);
    },
  );
});
