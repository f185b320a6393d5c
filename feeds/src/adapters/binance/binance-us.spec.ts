import { describe, expect, it } from 'vitest';
import type { MarketEvent } from '../../model/events';
import { readCryptofeedSession } from '../../recording/cryptofeed-recording';
import type { RecordingEntry } from '../../recording/recording-entry';
import { sharedRecording } from '../../test-support/shared-recordings';
import { CollectingSink } from '../collecting-sink';
import { createAdapter } from '../create-adapter';
import { replayIntoSessions } from '../replay-session';
import { BinanceAdapter } from './binance-adapter';
import type { BinanceSession } from './binance-session';
import { subscriptionsFromStreamUrl } from './binance-symbols';

/*
 * Binance.US speaks the spot protocol at its own hosts (docs.binance.us: WebSocket streams at
 * wss://stream.binance.us:9443, REST at https://api.binance.us/api/v3), so the venue id alone must
 * give a working adapter: its endpoints, its limits, and book sync by the spot rules.
 */

const SYMBOLS = ['NKN-USDT', 'BLZ-ETH', 'LRC-BTC', 'RUNE-EUR'];

async function spotCapture(): Promise<RecordingEntry[]> {
  const out: RecordingEntry[] = [];
  const ws = sharedRecording('binance/binance-spot-ws.ndjson');
  const rest = sharedRecording('binance/binance-spot-rest-depth.ndjson');
  for await (const entry of readCryptofeedSession(ws, rest)) out.push(entry);
  return out;
}

describe('Binance.US by configuration alone (venue binance-us)', () => {
  it('uses the Binance.US endpoints and the spot limits', () => {
    const adapter = new BinanceAdapter({ venue: 'binance-us' });
    expect(adapter.url()).toBe('wss://stream.binance.us:9443/stream');
    expect(adapter).toMatchObject({
      venue: 'binance-us',
      maxSubscriptionsPerConnection: 1024,
      maxMessagesPerSecond: 4,
      heartbeat: { expectedIntervalMs: 20_000 },
      maxConnectionLifetimeMs: 24 * 3600 * 1000,
    });
    const sink = new CollectingSink();
    adapter.createSession([{ symbol: 'BTC-USD', channel: 'book' }], sink).open(0);
    expect(sink.sent).toEqual(['{"method":"SUBSCRIBE","params":["btcusd@depth@100ms"],"id":1}']);
    // The adapter factory (tickwire stream --venue binance-us) gives the same.
    expect(createAdapter('binance-us').url([])).toBe('wss://stream.binance.us:9443/stream');
  });

  it('syncs every book of the real spot capture through venue binance-us, snapshots from api.binance.us', async () => {
    const adapter = new BinanceAdapter({ venue: 'binance-us' });
    const sink = new CollectingSink();
    let session: BinanceSession | undefined;
    await replayIntoSessions(await spotCapture(), (_conn, url) => {
      session = adapter.createSession(
        subscriptionsFromStreamUrl(url, (s) => adapter.symbolOf(s)),
        sink,
      );
      return session;
    });
    expect(sink.total('rejected')).toBe(0);
    for (const symbol of SYMBOLS) {
      const sync = session?.bookSync(symbol);
      expect(sync?.isLive, symbol).toBe(true);
      expect(sync?.stats, symbol).toMatchObject({ gaps: 0, resyncs: 0, crossed: 0 });
    }
    expect(sink.requests.map((r) => r.url).sort()).toEqual(
      ['BLZETH', 'LRCBTC', 'NKNUSDT', 'RUNEEUR'].map(
        (s) => `https://api.binance.us/api/v3/depth?symbol=${s}&limit=1000`,
      ),
    );
    const venues = new Set(sink.events.map((event: MarketEvent) => event.venue));
    expect([...venues]).toEqual(['binance-us']);
    expect(sink.events.filter((e) => e.type === 'book_snapshot')).toHaveLength(4);
  });
});
