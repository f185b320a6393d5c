import { okxBookChecksum, type BookSide } from '../book';
import type { VenueFrame } from './frame-source';
import { isArray, isObject, parseJson, quote, type JsonObject } from './json';
import { WireBook, type WireEntry } from './wire-book';

/*
 * The exchange's own OKX order books, one per `<channel>:<instId>` stream of the incremental book
 * channels, kept from the published pushes: {"action":"snapshot"} starts a book, {"action":"update"}
 * sets levels [px, sz, liquidated orders, orders] and a size of "0" removes one. The venue keeps
 * the book at the channel's depth itself (it sends the removals; the capture's BTC-USDT book stays
 * at 400 levels). A subscriber that arrives after the recorded snapshot gets
 * {"arg":..,"action":"snapshot","data":[{"asks","bids","ts","checksum"}]} from here, with the
 * checksum OKX defines (signed CRC-32 over the top 25 levels, interleaved) computed on this book.
 */

/** Depth of the channels that push a snapshot and then updates. */
const DEPTHS: Readonly<Record<string, number>> = { books: 400, 'books-l2-tbt': 400, 'books50-l2-tbt': 50 };

interface OkxBook {
  readonly book: WireBook;
  readonly depth: number;
  /** `ts` of the last push applied: the time of the book's state. */
  ts: string;
}

export class OkxBooks {
  private readonly books = new Map<string, OkxBook>();

  observe(frame: VenueFrame): void {
    const channel = frame.stream.slice(0, frame.stream.indexOf(':'));
    const depth = DEPTHS[channel];
    if (depth === undefined) return;
    try {
      this.apply(frame.stream, depth, frame.data);
    } catch {
      // A push this book cannot take leaves it unknown: no snapshot until the next recorded one.
      this.books.delete(frame.stream);
    }
  }

  /** A snapshot push of the stream's current book, or undefined before its recorded snapshot. */
  snapshot(channel: string, instId: string): string | undefined {
    const current = this.books.get(`${channel}:${instId}`);
    if (current === undefined) return undefined;
    const side = (which: BookSide): string =>
      JSON.stringify(
        current.book.top(which, current.depth).map((level) => [level.wirePrice, level.wireSize, ...level.extra]),
      );
    return (
      `{"arg":{"channel":${quote(channel)},"instId":${quote(instId)}},"action":"snapshot","data":[{"asks":${side('ask')},` +
      `"bids":${side('bid')},"ts":${quote(current.ts)},"checksum":${okxBookChecksum(current.book.book)}}]}`
    );
  }

  private apply(stream: string, depth: number, text: string): void {
    const parsed = parseJson(text);
    if (!parsed.ok || !isObject(parsed.value)) throw new Error('not a JSON object');
    const { action, data } = parsed.value;
    const push = isArray(data) ? data[0] : undefined;
    if (!isObject(push)) throw new Error('push without data');
    const ts = typeof push['ts'] === 'string' ? push['ts'] : '';
    if (action === 'snapshot') {
      const created: OkxBook = { book: new WireBook(), depth, ts };
      created.book.replace(levels(push, 'bids'), levels(push, 'asks'));
      this.books.set(stream, created);
      return;
    }
    const current = this.books.get(stream);
    if (action !== 'update' || current === undefined) return;
    current.book.apply(levels(push, 'bids'), levels(push, 'asks'));
    current.ts = ts;
  }
}

/** OKX levels [px, sz, liquidated orders, orders] as text; the last two are kept as extras. */
function levels(push: JsonObject, key: 'bids' | 'asks'): WireEntry[] {
  const value = push[key];
  if (value === undefined) return [];
  if (!isArray(value)) throw new Error(`${key} is not an array`);
  return value.map((level) => {
    if (!isArray(level) || !level.every((field): field is string => typeof field === 'string')) {
      throw new Error('level fields are not text');
    }
    const [price, size, ...extra] = level;
    if (price === undefined || size === undefined) throw new Error('level without px and sz');
    return { price, size, extra };
  });
}
