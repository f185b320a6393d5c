import CRC32 from 'crc-32';
import type { OrderBook } from './order-book';

/** A level's text exactly as the venue sent it; `BookLevel` satisfies it. */
export interface WireQuote {
  readonly wirePrice: string;
  readonly wireSize: string;
}

/** Builds a venue's checksum input from the top levels, each list best first. */
export type ChecksumLayout = (bids: readonly WireQuote[], asks: readonly WireQuote[]) => string;

/** CRC-32 (ISO 3309, the zlib one) of the UTF-8 bytes of `text`, as an unsigned 32-bit integer. */
export function crc32Unsigned(text: string): number {
  return CRC32.str(text) >>> 0;
}

/** The same CRC-32 as a signed 32-bit integer (OKX publishes it this way). */
export function crc32Signed(text: string): number {
  return CRC32.str(text);
}

/** Hashes the `layout` of the book's top `depth` levels per side. */
export function checksumOfTopLevels(
  book: OrderBook,
  depth: number,
  layout: ChecksumLayout,
  hash: (text: string) => number = crc32Unsigned,
): number {
  return hash(layout(book.top('bid', depth), book.top('ask', depth)));
}

export const KRAKEN_CHECKSUM_DEPTH = 10;

/**
 * Kraken (WebSocket v1 and v2 `book`): the top 10 asks low to high, then the top 10 bids high to
 * low; for each level its price then its quantity, each with "." removed and then leading zeros
 * removed ("0.05000" → "5000"), all concatenated. Must be fed the venue's wire text: trailing
 * zeros are part of the hashed text.
 */
export function krakenChecksumText(bids: readonly WireQuote[], asks: readonly WireQuote[]): string {
  let text = '';
  for (const level of asks.slice(0, KRAKEN_CHECKSUM_DEPTH))
    text += krakenField(level.wirePrice) + krakenField(level.wireSize);
  for (const level of bids.slice(0, KRAKEN_CHECKSUM_DEPTH))
    text += krakenField(level.wirePrice) + krakenField(level.wireSize);
  return text;
}

const CHAR_0 = 48;
const CHAR_DOT = 46;

/**
 * `wire` without "." and then without leading zeros. One pass instead of two replaces (it runs
 * for 40 fields per update): the zeros and the dot before the first significant digit all go,
 * and a validated decimal has at most one dot left after it.
 */
function krakenField(wire: string): string {
  let start = 0;
  while (start < wire.length) {
    const c = wire.charCodeAt(start);
    if (c !== CHAR_0 && c !== CHAR_DOT) break;
    start++;
  }
  const dot = wire.indexOf('.', start);
  return dot === -1 ? wire.slice(start) : wire.slice(start, dot) + wire.slice(dot + 1);
}

/** Kraken's checksum of the book: unsigned CRC-32 of `krakenChecksumText`. */
export function krakenBookChecksum(book: OrderBook): number {
  return checksumOfTopLevels(book, KRAKEN_CHECKSUM_DEPTH, krakenChecksumText, crc32Unsigned);
}

export const OKX_CHECKSUM_DEPTH = 25;

/**
 * OKX (`books` channel): for i in 0..24, `bid[i].px:bid[i].sz` then `ask[i].px:ask[i].sz`,
 * leaving out a side that has run out of levels, all joined with ":".
 */
export function okxChecksumText(bids: readonly WireQuote[], asks: readonly WireQuote[]): string {
  const parts: string[] = [];
  for (let i = 0; i < OKX_CHECKSUM_DEPTH; i++) {
    const bid = bids[i];
    const ask = asks[i];
    if (bid === undefined && ask === undefined) break;
    if (bid !== undefined) parts.push(bid.wirePrice, bid.wireSize);
    if (ask !== undefined) parts.push(ask.wirePrice, ask.wireSize);
  }
  return parts.join(':');
}

/** OKX's checksum of the book: signed CRC-32 of `okxChecksumText`. */
export function okxBookChecksum(book: OrderBook): number {
  return checksumOfTopLevels(book, OKX_CHECKSUM_DEPTH, okxChecksumText, crc32Signed);
}
