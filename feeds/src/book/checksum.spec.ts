import { crc32 as zlibCrc32 } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WireLevel } from './book-level';
import {
  checksumOfTopLevels,
  crc32Signed,
  crc32Unsigned,
  krakenBookChecksum,
  krakenChecksumText,
  okxBookChecksum,
  okxChecksumText,
  type WireQuote,
} from './checksum';
import { OrderBook } from './order-book';

const quotes = (levels: readonly WireLevel[]): WireQuote[] =>
  levels.map(([wirePrice, wireSize]) => ({ wirePrice, wireSize }));

function bookWith(bids: readonly WireLevel[], asks: readonly WireLevel[]): OrderBook {
  const book = new OrderBook();
  book.applySnapshot(bids, asks);
  return book;
}

describe('crc32', () => {
  it('gives the standard check value for "123456789"', () => {
    expect(crc32Unsigned('123456789')).toBe(0xcbf43926);
    expect(crc32Unsigned('123456789')).toBe(3421780262);
    expect(crc32Signed('123456789')).toBe(3421780262 - 2 ** 32);
    expect(crc32Unsigned('')).toBe(0);
  });

  it('agrees with zlib on well-formed text (property)', () => {
    // Well-formed only: for lone surrogates crc-32 and Node encode UTF-8 differently (venue text is ASCII).
    const texts = fc.oneof(
      fc.string({ unit: 'grapheme-ascii', maxLength: 200 }),
      fc.string({ unit: 'grapheme', maxLength: 50 }),
    );
    fc.assert(
      fc.property(texts, (text) => {
        expect(crc32Unsigned(text)).toBe(zlibCrc32(text));
        expect(crc32Signed(text)).toBe(zlibCrc32(text) | 0);
      }),
    );
  });
});

describe('Kraken checksum', () => {
  it('formats levels as the Kraken docs show', () => {
    expect(krakenChecksumText([], quotes([['0.05000', '0.00000304']]))).toBe('5000304');
    expect(krakenChecksumText([], quotes([['45285.2', '0.00100000']]))).toBe('452852100000');
  });

  it('formats any decimal text as "." removed, then leading zeros removed (property)', () => {
    const digit = fc.constantFrom('0', '0', '0', '1', '5', '9');
    const digits = fc.string({ unit: digit, minLength: 1, maxLength: 12 });
    const decimalText = fc
      .tuple(digits, fc.option(fc.string({ unit: digit, maxLength: 12 })))
      .map(([int, frac]) => (frac === null ? int : `${int}.${frac}`));
    const field = (text: string): string => text.replaceAll('.', '').replace(/^0+/, '');
    fc.assert(
      fc.property(decimalText, decimalText, (price, size) => {
        expect(krakenChecksumText([], [{ wirePrice: price, wireSize: size }])).toBe(field(price) + field(size));
      }),
    );
  });

  it('hashes asks low to high then bids high to low, from the wire text', () => {
    // Levels arrive unordered; the book orders them.
    const book = bookWith(
      [
        ['0.04995', '0.01000000'],
        ['0.05000', '0.00000304'],
      ],
      [
        ['0.05010', '0.00001000'],
        ['0.05005', '0.00000500'],
      ],
    );
    // asks 0.05005|0.00000500 → "5005"+"500", 0.05010|0.00001000 → "5010"+"1000";
    // bids 0.05000|0.00000304 → "5000"+"304", 0.04995|0.01000000 → "4995"+"1000000".
    const text = '5005500' + '50101000' + '5000304' + '49951000000';
    expect(krakenChecksumText(book.top('bid'), book.top('ask'))).toBe(text);
    expect(krakenBookChecksum(book)).toBe(zlibCrc32(text));
    expect(krakenBookChecksum(book)).toBeGreaterThanOrEqual(0);
  });

  it('changes with the wire spelling even when the value does not', () => {
    const book = bookWith([['0.05000', '0.00000304']], []);
    const before = krakenBookChecksum(book);
    book.applyDelta([['0.05', '0.00000304']], []);
    expect(book.toSnapshot().bids).toEqual([['0.05', '0.00000304']]);
    expect(krakenChecksumText(book.top('bid'), [])).toBe('5304');
    expect(krakenBookChecksum(book)).not.toBe(before);
    expect(krakenBookChecksum(book)).toBe(zlibCrc32('5304'));
  });

  it('covers only the top 10 levels of each side', () => {
    const bids: WireLevel[] = [];
    const asks: WireLevel[] = [];
    for (let i = 1; i <= 12; i++) {
      bids.push([`${100 - i}.0`, `0.${i}0`]);
      asks.push([`${100 + i}.0`, `0.${i}0`]);
    }
    const book = bookWith(bids, asks);
    let text = '';
    for (let i = 1; i <= 10; i++) text += `${100 + i}0${i}0`;
    for (let i = 1; i <= 10; i++) text += `${100 - i}0${i}0`;
    expect(krakenChecksumText(book.top('bid'), book.top('ask'))).toBe(text);
    expect(krakenBookChecksum(book)).toBe(zlibCrc32(text));
  });
});

describe('OKX checksum', () => {
  it('interleaves bid and ask levels as the OKX docs show', () => {
    const bids = quotes([
      ['3366.1', '7'],
      ['3366', '6'],
    ]);
    const asks = quotes([
      ['3366.8', '9'],
      ['3368', '8'],
    ]);
    expect(okxChecksumText(bids, asks)).toBe('3366.1:7:3366.8:9:3366:6:3368:8');
    expect(okxChecksumText(bids, asks.slice(0, 1))).toBe('3366.1:7:3366.8:9:3366:6');
    expect(okxChecksumText(bids.slice(0, 1), asks)).toBe('3366.1:7:3366.8:9:3368:8');
    expect(okxChecksumText([], [])).toBe('');
  });

  it('hashes the book as a signed int32 of the wire text', () => {
    const book = bookWith(
      [
        ['3366', '6'],
        ['3366.1', '7.000'],
      ],
      [
        ['3368', '8'],
        ['3366.8', '9'],
      ],
    );
    const text = '3366.1:7.000:3366.8:9:3366:6:3368:8';
    expect(okxChecksumText(book.top('bid'), book.top('ask'))).toBe(text);
    expect(okxBookChecksum(book)).toBe(zlibCrc32(text) | 0);
    expect(okxBookChecksum(book)).toBe(crc32Signed(text));
  });

  it('covers only the top 25 levels of each side', () => {
    const bids: WireLevel[] = [];
    const asks: WireLevel[] = [];
    for (let i = 1; i <= 30; i++) {
      bids.push([String(1000 - i), String(i)]);
      asks.push([String(1000 + i), String(i)]);
    }
    const book = bookWith(bids, asks);
    const parts: string[] = [];
    for (let i = 1; i <= 25; i++) parts.push(`${1000 - i}:${i}:${1000 + i}:${i}`);
    expect(okxChecksumText(book.top('bid'), book.top('ask'))).toBe(parts.join(':'));
    expect(okxBookChecksum(book)).toBe(zlibCrc32(parts.join(':')) | 0);
  });
});

describe('checksumOfTopLevels', () => {
  it('hashes any layout of the top levels', () => {
    const book = bookWith(
      [
        ['1.50', '2'],
        ['1.40', '3'],
      ],
      [
        ['1.60', '4'],
        ['1.70', '5'],
      ],
    );
    const layout = (bids: readonly WireQuote[], asks: readonly WireQuote[]): string =>
      [...bids, ...asks].map((level) => `${level.wirePrice}x${level.wireSize}`).join('|');
    expect(checksumOfTopLevels(book, 1, layout)).toBe(zlibCrc32('1.50x2|1.60x4'));
    expect(checksumOfTopLevels(book, 1, layout, crc32Signed)).toBe(zlibCrc32('1.50x2|1.60x4') | 0);
    expect(checksumOfTopLevels(book, 1, layout, (text) => text.length)).toBe('1.50x2|1.60x4'.length);
  });
});
