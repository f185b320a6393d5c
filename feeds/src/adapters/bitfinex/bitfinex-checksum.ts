import { crc32Signed, type OrderBook, type WireQuote } from '../../book';

/*
 * Bitfinex book checksum (docs.bitfinex.com/docs/ws-websocket-checksum): "a CRC32 value which
 * covers the first 25 bids and asks"; for P-precision books "price and amount values" are used;
 * the values go bids[0].price, bids[0].amount, asks[0].price, asks[0].amount, bids[1]... ("an array
 * with 100 elements"), joined with ":"; "Checksums will be sent as a signed integer".
 *
 * The amounts are the venue's signed amounts: asks negative. The book keeps an ask's size without
 * its "-", so it is put back here. Prices and amounts are the venue's own number text: Bitfinex
 * writes "5e-7", and "0.0000005" would hash differently.
 */

export const BITFINEX_CHECKSUM_DEPTH = 25;

/** The checksum input of the top levels, each list best first; a side that runs out is skipped. */
export function bitfinexChecksumText(bids: readonly WireQuote[], asks: readonly WireQuote[]): string {
  let text = '';
  for (let i = 0; i < BITFINEX_CHECKSUM_DEPTH; i++) {
    const bid = bids[i];
    const ask = asks[i];
    if (bid === undefined && ask === undefined) break;
    if (bid !== undefined) text += `${text.length === 0 ? '' : ':'}${bid.wirePrice}:${bid.wireSize}`;
    if (ask !== undefined) text += `${text.length === 0 ? '' : ':'}${ask.wirePrice}:-${ask.wireSize}`;
  }
  return text;
}

/** Signed CRC-32 of the book's top 25 levels per side, as Bitfinex sends it in [CHAN_ID, "cs", CHECKSUM]. */
export function bitfinexBookChecksum(book: OrderBook): number {
  return crc32Signed(
    bitfinexChecksumText(book.top('bid', BITFINEX_CHECKSUM_DEPTH), book.top('ask', BITFINEX_CHECKSUM_DEPTH)),
  );
}
