import type { BookSide } from '../book';
import type { VenueFrame } from './frame-source';
import { isArray, isObject, parseJson, quote } from './json';
import { WireBook, type WireEntry } from './wire-book';

/*
 * The exchange's own Coinbase (legacy feed) level2 books, one per `level2:<product_id>` stream,
 * kept from the published frames: {"type":"snapshot","product_id":..,"asks":[[price,size]..],
 * "bids":[..]} starts a book, {"type":"l2update","changes":[["buy"|"sell",price,size]..]} sets
 * levels ("The size property is the updated size at the price level, not a delta. A size of "0"
 * indicates the price level can be removed."). The level2 book is the full book, so a subscriber
 * that arrives after the recorded snapshot gets all of it, in the recorded snapshot's key order.
 */

export class CoinbaseBooks {
  private readonly books = new Map<string, WireBook>();

  observe(frame: VenueFrame): void {
    if (!frame.stream.startsWith('level2:')) return;
    try {
      this.apply(frame.stream, frame.data);
    } catch {
      // A frame this book cannot take leaves it unknown: no snapshot until the next recorded one.
      this.books.delete(frame.stream);
    }
  }

  /** A snapshot message of the product's current book, or undefined before its recorded snapshot. */
  snapshot(product: string): string | undefined {
    const book = this.books.get(`level2:${product}`);
    if (book === undefined) return undefined;
    const side = (which: BookSide): string =>
      JSON.stringify(book.top(which).map((level) => [level.wirePrice, level.wireSize]));
    return `{"type":"snapshot","product_id":${quote(product)},"asks":${side('ask')},"bids":${side('bid')}}`;
  }

  private apply(stream: string, text: string): void {
    const parsed = parseJson(text);
    if (!parsed.ok || !isObject(parsed.value)) throw new Error('not a JSON object');
    const message = parsed.value;
    if (message['type'] === 'snapshot') {
      const book = new WireBook();
      book.replace(pairs(message['bids']), pairs(message['asks']));
      this.books.set(stream, book);
      return;
    }
    const book = this.books.get(stream);
    if (message['type'] !== 'l2update' || book === undefined) return;
    const changes = message['changes'];
    if (!isArray(changes)) throw new Error('l2update without changes');
    const bids: WireEntry[] = [];
    const asks: WireEntry[] = [];
    for (const change of changes) {
      if (!isArray(change)) throw new Error('change is not an array');
      const [side, price, size] = change;
      if (typeof price !== 'string' || typeof size !== 'string') throw new Error('change without price and size');
      if (side === 'buy') bids.push({ price, size });
      else if (side === 'sell') asks.push({ price, size });
      else throw new Error('change side is neither buy nor sell');
    }
    book.apply(bids, asks);
  }
}

function pairs(value: unknown): WireEntry[] {
  if (!isArray(value)) throw new Error('snapshot side is not an array');
  return value.map((level) => {
    if (!isArray(level)) throw new Error('level is not an array');
    const [price, size] = level;
    if (typeof price !== 'string' || typeof size !== 'string') throw new Error('level without price and size text');
    return { price, size };
  });
}
