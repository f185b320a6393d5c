import { BinanceAdapter } from '../../adapters/binance/binance-adapter';
import type { BinanceSession } from '../../adapters/binance/binance-session';
import { subscriptionsFromStreamUrl } from '../../adapters/binance/binance-symbols';
import { CollectingSink } from '../../adapters/collecting-sink';
import { replayIntoSessions } from '../../adapters/replay-session';
import type { UpstreamSubscription } from '../../adapters/venue-adapter';
import type { OrderBook } from '../../book';
import { readCryptofeedSession } from '../../recording/cryptofeed-recording';
import type { RecordingEntry } from '../../recording/recording-entry';
import { sharedRecording } from '../../test-support/shared-recordings';

/* The real Binance USD-M capture, as the upstream specs against the virtual exchange use it. */

export const USDM_SYMBOLS = ['SUSHI-USDT', 'AKRO-USDT', 'KEEP-USDT', 'CTK-USDT'];

/** Book and trades of every recorded symbol. */
export const USDM_SUBSCRIPTIONS: UpstreamSubscription[] = USDM_SYMBOLS.flatMap((symbol) => [
  { symbol, channel: 'book' as const },
  { symbol, channel: 'trades' as const },
]);

export async function usdmEntries(): Promise<RecordingEntry[]> {
  const ws = sharedRecording('binance/binance-usdm-futures-ws.ndjson');
  const rest = sharedRecording('binance/binance-usdm-futures-rest-depth.ndjson');
  const out: RecordingEntry[] = [];
  for await (const entry of readCryptofeedSession(ws, rest)) out.push(entry);
  return out;
}

/** Final books of a fault-free, in-process replay of the whole capture through the same adapter. */
export async function usdmReferenceBooks(recorded: readonly RecordingEntry[]): Promise<Map<string, OrderBook>> {
  const adapter = new BinanceAdapter({ venue: 'binance-usdm' });
  let session: BinanceSession | undefined;
  await replayIntoSessions(recorded, (_conn, url) => {
    session = adapter.createSession(
      subscriptionsFromStreamUrl(url, (s) => adapter.symbolOf(s)),
      new CollectingSink(),
    );
    return session;
  });
  const last = session;
  if (last === undefined) throw new Error('the capture opened no connection');
  return new Map(USDM_SYMBOLS.map((symbol) => [symbol, last.bookSync(symbol)?.book as OrderBook]));
}
