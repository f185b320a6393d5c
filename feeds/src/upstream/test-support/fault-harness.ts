import { OrderBook } from '../../book';
import type { FeedStatusEvent, MarketEvent } from '../../model/events';

/*
 * Shared by the upstream fault specs: what a consumer of the manager's events holds, and waiting
 * for a run to settle after the source is exhausted.
 */

/** Books rebuilt by a consumer from the events delivered. */
export function consumerBooks(events: readonly MarketEvent[]): Map<string, OrderBook> {
  const books = new Map<string, OrderBook>();
  for (const event of events) {
    if (event.type !== 'book_snapshot' && event.type !== 'book_delta') continue;
    const book = books.get(event.symbol) ?? new OrderBook();
    books.set(event.symbol, book);
    book.applyEvent(event);
  }
  return books;
}

export function statuses(events: readonly MarketEvent[]): FeedStatusEvent[] {
  return events.filter((e): e is FeedStatusEvent => e.type === 'status');
}

/** Whether every symbol's latest status is 'live' and the connection's latest is not a disconnect. */
export function allLive(events: readonly MarketEvent[], symbols: readonly string[]): boolean {
  const latest = new Map<string | null, FeedStatusEvent['state']>();
  for (const s of statuses(events)) latest.set(s.symbol, s.state);
  return symbols.every((symbol) => latest.get(symbol) === 'live') && latest.get(null) === 'live';
}

/**
 * After the source is exhausted its last frames are still on the wire, and a fault near the end may
 * leave a resubscribe or reconnect in flight: wait until every book is live and no event arrived
 * for `quietMs` (heartbeats make no events), or until `timeoutMs`.
 */
export async function settle(
  events: readonly MarketEvent[],
  symbols: readonly string[],
  quietMs = 300,
  timeoutMs = 5000,
) {
  const deadline = Date.now() + timeoutMs;
  let count = -1;
  let since = Date.now();
  while (Date.now() < deadline) {
    if (events.length !== count) {
      count = events.length;
      since = Date.now();
    } else if (Date.now() - since >= quietMs && allLive(events, symbols)) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
