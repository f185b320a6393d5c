import type { BookSide } from '../book';
import type { VenueFrame } from './frame-source';
import { isArray, isObject, parseJson, quote } from './json';
import { WireBook, type WireEntry } from './wire-book';

/*
 * The exchange's own Kraken v1 books, one per `book-<depth>:<pair>` stream, kept from the
 * published frames: the recorded snapshot [channelID, {"as":[..],"bs":[..]}, "book-N", pair]
 * starts a book, updates {"a":[..]} / {"b":[..],"c":".."} (both objects in the 5-element form)
 * set levels [price, volume, timestamp(, "r")], a zero volume removes one, and after each message
 * the book is cut to the subscribed depth, because "no qty:0 is sent for levels that fall out of
 * scope" (the venue's checksum of its top 10 then matches this book). A subscriber that arrives
 * after the recorded snapshot gets one built from here.
 */

interface KrakenBook {
  readonly book: WireBook;
  readonly depth: number;
}

export class KrakenBooks {
  private readonly books = new Map<string, KrakenBook>();

  observe(frame: VenueFrame): void {
    const depth = depthOf(frame.stream);
    if (depth === undefined) return;
    try {
      this.apply(frame.stream, depth, frame.data);
    } catch {
      // A frame this book cannot take leaves it unknown: no snapshot until the next recorded one.
      this.books.delete(frame.stream);
    }
  }

  /** A snapshot frame of the stream's current book, or undefined before its recorded snapshot. */
  snapshot(stream: string, channelId: number): string | undefined {
    const current = this.books.get(stream);
    if (current === undefined) return undefined;
    const separator = stream.indexOf(':');
    const channelName = stream.slice(0, separator);
    const pair = stream.slice(separator + 1);
    const side = (which: BookSide): string =>
      JSON.stringify(
        current.book.top(which, current.depth).map((level) => [level.wirePrice, level.wireSize, ...level.extra]),
      );
    return `[${channelId},{"as":${side('ask')},"bs":${side('bid')}},${quote(channelName)},${quote(pair)}]`;
  }

  private apply(stream: string, depth: number, text: string): void {
    const parsed = parseJson(text);
    if (!parsed.ok || !isArray(parsed.value)) throw new Error('not a Kraken array frame');
    const parts = parsed.value.slice(1, -2);
    let current = this.books.get(stream);
    for (const part of parts) {
      if (!isObject(part)) throw new Error('book part is not an object');
      if ('as' in part || 'bs' in part) {
        current = { book: new WireBook(), depth };
        current.book.replace(levels(part['bs']), levels(part['as']));
        this.books.set(stream, current);
      } else if (current !== undefined) {
        current.book.apply(levels(part['b']), levels(part['a']));
      }
    }
    current?.book.trim(depth);
  }
}

/** 1000 for "book-1000:XBT/USD"; undefined for other channels. */
function depthOf(stream: string): number | undefined {
  const match = /^book-(\d+):/.exec(stream);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** Kraken levels [price, volume, timestamp] (updates may add "r"); the timestamp is kept as extra. */
function levels(value: unknown): WireEntry[] {
  if (value === undefined) return [];
  if (!isArray(value)) throw new Error('levels are not an array');
  return value.map((level) => {
    if (!isArray(level)) throw new Error('level is not an array');
    const [price, size, timestamp] = level;
    if (typeof price !== 'string' || typeof size !== 'string' || typeof timestamp !== 'string') {
      throw new Error('level without price, volume and timestamp text');
    }
    return { price, size, extra: [timestamp] };
  });
}
