import type { BookSide } from '../book';
import type { VenueFrame } from './frame-source';
import { WireBook, type WireEntry } from './wire-book';

/*
 * The exchange's own Bitfinex v2 price-aggregated books (P0..P4), one per `book:<symbol>` stream,
 * kept from the published frames (VenueFrame.data carries no SEQ_ALL number): [chanId, [[PRICE,
 * COUNT, AMOUNT], ..]] starts a book, [chanId, [PRICE, COUNT, AMOUNT]] changes one level. "when
 * count > 0 then you have to add or update the price level ... when count = 0 then you have to
 * delete the price level": AMOUNT 1 from bids, -1 from asks; a negative AMOUNT is an ask. The venue
 * keeps the book at the subscribed `len` itself (the capture's books stay at 100 a side).
 *
 * Numbers are JSON numbers ("1.3e-7" included), so levels are cut from the frame text, never
 * parsed to floats, and a snapshot for a late subscriber repeats each level's text as published.
 */

const NUMBER = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

export class BitfinexBooks {
  private readonly books = new Map<string, WireBook>();

  /** `aggregated(stream)`: whether the stream is a price-aggregated book (not R0, not another channel). */
  constructor(private readonly aggregated: (stream: string) => boolean) {}

  observe(frame: VenueFrame): void {
    if (!this.aggregated(frame.stream)) return;
    try {
      this.apply(frame.stream, frame.data);
    } catch {
      // A frame this book cannot take leaves it unknown: no snapshot until the next recorded one.
      this.books.delete(frame.stream);
    }
  }

  /**
   * The snapshot frame [chanId, [[PRICE, COUNT, AMOUNT], ..]] of the stream's current book, bids
   * best first and then asks best first, up to `len` a side; undefined before the recorded one.
   */
  snapshot(stream: string, chanId: number, len: number): string | undefined {
    const book = this.books.get(stream);
    if (book === undefined) return undefined;
    const side = (which: BookSide): string[] => book.top(which, len).map((level) => `[${level.extra.join(',')}]`);
    return `[${chanId},[${[...side('bid'), ...side('ask')].join(',')}]]`;
  }

  private apply(stream: string, text: string): void {
    const comma = text.indexOf(',');
    if (!text.startsWith('[') || comma < 0 || !text.endsWith(']')) throw new Error('not a channel frame');
    const body = text.slice(comma + 1, -1);
    if (body.startsWith('[[') || body === '[]') {
      const entries = body === '[]' ? [] : body.slice(2, -2).split('],[').map(entry);
      const book = new WireBook();
      book.replace(
        entries.filter((level) => level.side === 'bid'),
        entries.filter((level) => level.side === 'ask'),
      );
      this.books.set(stream, book);
      return;
    }
    const book = this.books.get(stream);
    if (!body.startsWith('[') || book === undefined) return;
    const level = entry(body.slice(1, -1));
    if (level.side === 'bid') book.apply([level], []);
    else book.apply([], [level]);
  }
}

/** "PRICE,COUNT,AMOUNT" as a level of its side; COUNT 0 is a removal. */
function entry(text: string): WireEntry & { readonly side: BookSide } {
  const fields = text.split(',');
  const [price, count, amount] = fields;
  if (fields.length !== 3 || price === undefined || count === undefined || amount === undefined) {
    throw new Error('level is not [PRICE,COUNT,AMOUNT]');
  }
  if (!fields.every((field) => NUMBER.test(field))) throw new Error('level field is not a number');
  const side: BookSide = amount.startsWith('-') ? 'ask' : 'bid';
  const size = count === '0' ? '0' : amount.replace(/^-/, '');
  return { side, price, size, extra: fields };
}
