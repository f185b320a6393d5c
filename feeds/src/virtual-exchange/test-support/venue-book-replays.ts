import { krakenBookChecksum, okxBookChecksum, OrderBook, type BookSide, type WireLevel } from '../../book';

/*
 * Client-side books built from what a test client received, written from each venue's
 * documentation and independent of the exchange's own book code. Levels stay wire text (no
 * floats); checksums are verified with the book module's Kraken and OKX helpers.
 */

export interface Replay {
  readonly book: OrderBook;
  /** Snapshot messages seen. */
  readonly snapshots: number;
  /** Book messages before the first snapshot (ignored). */
  readonly beforeSnapshot: number;
  /** Checksums compared after a message was applied, and how many differed. */
  readonly checksums: number;
  readonly mismatches: number;
}

/** Both sides best first as [wirePrice, wireSize]: equal books have equal text, not just values. */
export function wireSides(book: OrderBook): Record<BookSide, string[][]> {
  const side = (which: BookSide): string[][] => book.top(which).map((level) => [level.wirePrice, level.wireSize]);
  return { bid: side('bid'), ask: side('ask') };
}

class ReplayState {
  readonly book = new OrderBook();
  snapshots = 0;
  beforeSnapshot = 0;
  checksums = 0;
  mismatches = 0;

  verify(expected: number, actual: number): void {
    this.checksums++;
    if (expected !== actual) this.mismatches++;
  }

  result(): Replay {
    const { book, snapshots, beforeSnapshot, checksums, mismatches } = this;
    return { book, snapshots, beforeSnapshot, checksums, mismatches };
  }
}

type KrakenPart = Partial<Record<'as' | 'bs' | 'a' | 'b', string[][]>> & { c?: string };

/** Kraken v1 `book-<depth>` frames of `pair`: truncate to depth, then check "c" (top-10 CRC32). */
export function replayKraken(texts: readonly string[], depth: number, pair: string): Replay {
  const state = new ReplayState();
  const tail = `,"book-${depth}",${JSON.stringify(pair)}]`;
  for (const text of texts) {
    if (!text.startsWith('[') || !text.endsWith(tail)) continue;
    const parts = (JSON.parse(text) as unknown[]).slice(1, -2) as KrakenPart[];
    const snapshot = parts.find((part) => part.as !== undefined || part.bs !== undefined);
    if (snapshot !== undefined) {
      state.book.applySnapshot(pairs(snapshot.bs), pairs(snapshot.as));
      state.snapshots++;
      continue;
    }
    if (state.snapshots === 0) {
      state.beforeSnapshot++;
      continue;
    }
    for (const part of parts) state.book.applyDelta(pairs(part.b), pairs(part.a));
    state.book.trim(depth);
    const checksum = parts.find((part) => part.c !== undefined)?.c;
    if (checksum !== undefined) state.verify(Number(checksum), krakenBookChecksum(state.book));
  }
  return state.result();
}

interface OkxPush {
  readonly action: string;
  readonly data: { asks: string[][]; bids: string[][]; checksum: number }[];
}

/** OKX `books` pushes of `instId`: every snapshot and update carries the signed top-25 CRC32. */
export function replayOkx(texts: readonly string[], channel: string, instId: string): Replay {
  const state = new ReplayState();
  const prefix = `{"arg":{"channel":${JSON.stringify(channel)},"instId":${JSON.stringify(instId)}},"action"`;
  for (const text of texts) {
    if (!text.startsWith(prefix)) continue;
    const push = JSON.parse(text) as OkxPush;
    const data = push.data[0];
    if (data === undefined) continue;
    if (push.action === 'snapshot') {
      state.book.applySnapshot(pairs(data.bids), pairs(data.asks));
      state.snapshots++;
    } else if (state.snapshots === 0) {
      state.beforeSnapshot++;
      continue;
    } else {
      state.book.applyDelta(pairs(data.bids), pairs(data.asks));
    }
    state.verify(data.checksum, okxBookChecksum(state.book));
  }
  return state.result();
}

interface CoinbaseMessage {
  readonly type: string;
  readonly product_id: string;
  readonly bids?: string[][];
  readonly asks?: string[][];
  readonly changes?: string[][];
}

/** Coinbase level2 of `product`: snapshot, then l2update changes [side, price, size]. */
export function replayCoinbase(texts: readonly string[], product: string): Replay {
  const state = new ReplayState();
  for (const text of texts) {
    if (!text.startsWith('{"type":"snapshot"') && !text.startsWith('{"type":"l2update"')) continue;
    const message = JSON.parse(text) as CoinbaseMessage;
    if (message.product_id !== product) continue;
    if (message.type === 'snapshot') {
      state.book.applySnapshot(pairs(message.bids), pairs(message.asks));
      state.snapshots++;
    } else if (state.snapshots === 0) {
      state.beforeSnapshot++;
    } else {
      const changes = message.changes ?? [];
      const side = (name: string): WireLevel[] =>
        pairs(changes.filter((change) => change[0] === name).map((change) => change.slice(1)));
      state.book.applyDelta(side('buy'), side('sell'));
    }
  }
  return state.result();
}

const TRIPLE = /\[(-?[0-9.eE+-]+),(-?[0-9]+),(-?[0-9.eE+-]+)\]/g;

/**
 * Bitfinex book frames of `chanId` ([chanId, [[PRICE, COUNT, AMOUNT]..]] or [chanId, [..]], with or
 * without a trailing SEQ_ALL number), numbers cut from the text. COUNT 0 deletes (AMOUNT 1: bid,
 * -1: ask); a negative AMOUNT is an ask of size -AMOUNT.
 */
export function replayBitfinex(texts: readonly string[], chanId: number): Replay {
  const state = new ReplayState();
  const prefix = `[${chanId},[`;
  for (const text of texts) {
    if (!text.startsWith(prefix)) continue;
    const snapshot = text.startsWith(`${prefix}[`) || text.startsWith(`${prefix}]`);
    const bids: WireLevel[] = [];
    const asks: WireLevel[] = [];
    for (const [, price = '', count = '', amount = ''] of text.slice(prefix.length - 1).matchAll(TRIPLE)) {
      const ask = amount.startsWith('-');
      (ask ? asks : bids).push([price, count === '0' ? '0' : ask ? amount.slice(1) : amount]);
    }
    if (snapshot) {
      state.book.applySnapshot(bids, asks);
      state.snapshots++;
    } else if (state.snapshots === 0) {
      state.beforeSnapshot++;
    } else {
      state.book.applyDelta(bids, asks);
    }
  }
  return state.result();
}

function pairs(levels: readonly string[][] | undefined): WireLevel[] {
  return (levels ?? []).map(([price = '', size = '']) => [price, size]);
}
