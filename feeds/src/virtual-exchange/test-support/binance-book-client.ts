import { OrderBook, type WireLevel } from '../../book';
import type { TestClient } from './test-client';

/*
 * A Binance client's side of book sync, written from the venue's documentation and independent of
 * the exchange's own code: open the diff stream and buffer from the start, wait for the first
 * event, GET the REST snapshot, then apply the buffered and later events by the rules of
 * "How to manage a local order book correctly" (spot: drop u <= lastUpdateId, the first event has
 * U <= lastUpdateId+1 <= u, then U == previous u + 1; usdm: drop u < lastUpdateId, the first event
 * has U <= lastUpdateId <= u, then pu == previous u). The rules run over everything the socket
 * received, after the fact, so the order of the REST answer and the WebSocket frames between two
 * sockets does not matter, as with a client that buffers.
 */

export type Market = 'spot' | 'usdm';

export interface DepthEvent {
  readonly s: string;
  readonly U: number;
  readonly u: number;
  readonly pu?: number;
  readonly b: WireLevel[];
  readonly a: WireLevel[];
}

export interface RestDepth {
  readonly lastUpdateId: number;
  readonly bids: WireLevel[];
  readonly asks: WireLevel[];
}

export interface SyncedBook {
  readonly book: OrderBook;
  readonly snapshot: RestDepth;
  /** Events applied after the snapshot. */
  readonly applied: number;
}

/** The depthUpdate events of `symbol` a combined-stream client received, in order. */
export function depthEvents(client: TestClient, symbol: string): DepthEvent[] {
  return client
    .texts()
    .filter((text) => text.startsWith('{"stream":') && text.includes('"e":"depthUpdate"'))
    .map((text) => (JSON.parse(text) as { data: DepthEvent }).data)
    .filter((event) => event.s === symbol);
}

/** GET the REST depth; throws on a non-200 answer. */
export async function fetchDepth(url: string): Promise<RestDepth> {
  const response = await fetch(url);
  const body = await response.text();
  if (response.status !== 200) throw new Error(`GET ${url}: ${response.status} ${body}`);
  return JSON.parse(body) as RestDepth;
}

/** Builds the book from `snapshot` and `events` by Binance's rules; throws where they fail. */
export function syncBook(market: Market, snapshot: RestDepth, events: readonly DepthEvent[]): SyncedBook {
  const book = new OrderBook();
  book.applySnapshot(snapshot.bids, snapshot.asks);
  let last = snapshot.lastUpdateId;
  let applied = 0;
  for (const event of events) {
    if (market === 'spot' ? event.u <= last : applied === 0 ? event.u < last : event.u <= last) continue;
    if (applied === 0) {
      const bridges =
        market === 'spot' ? event.U <= last + 1 && event.u >= last + 1 : event.U <= last && event.u >= last;
      if (!bridges) throw new Error(`no overlap: lastUpdateId ${last}, first event U=${event.U} u=${event.u}`);
    } else if (market === 'spot' ? event.U > last + 1 : event.pu !== last) {
      throw new Error(`gap after u=${last}: U=${event.U} pu=${String(event.pu)}`);
    }
    book.applyDelta(event.b, event.a);
    last = event.u;
    applied++;
  }
  return { book, snapshot, applied };
}
