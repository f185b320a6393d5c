import fc from 'fast-check';
import { toDecimal } from '../../decimal';
import type { BookDeltaEvent, BookSnapshotEvent, PriceLevel } from '../../model';
import type { WireLevel } from '../book-level';
import { deltaEvent, snapshotEvent } from './book-events';

/**
 * Wire prices from a small set so that levels collide, with several spellings of the same value
 * ("100.5" and "100.50000") and bid/ask ranges that overlap, so crossed books occur.
 */
export const WIRE_PRICES = [
  '99.5',
  '99.99',
  '100',
  '100.0',
  '100.5',
  '100.50000',
  '101',
  '1.01e2',
  '0.00001234',
  '0.000012340',
] as const;

/** Sizes including every zero spelling, trailing zeros and values past 2^53 scaled units. */
export const WIRE_SIZES = [
  '0',
  '0.00000000',
  '0.0',
  '0.1',
  '0.10000000',
  '0.2',
  '1',
  '1.00',
  '2.5',
  '0.00000001',
  '123456789012.12345678',
] as const;

export const wireLevel: fc.Arbitrary<WireLevel> = fc.tuple(
  fc.constantFrom(...WIRE_PRICES),
  fc.constantFrom(...WIRE_SIZES),
);

export const wireLevels: fc.Arbitrary<WireLevel[]> = fc.array(wireLevel, { maxLength: 8 });

/** The same collisions in canonical form, as book events carry them. */
export const canonicalLevel: fc.Arbitrary<PriceLevel> = wireLevel.map(([price, size]) => [
  toDecimal(price),
  toDecimal(size),
]);

export const canonicalLevels: fc.Arbitrary<PriceLevel[]> = fc.array(canonicalLevel, { maxLength: 6 });

/** A book event of one of two instruments, with a time gap (ms) before it. */
export interface TimedBookEvent {
  readonly gap: number;
  readonly event: BookSnapshotEvent | BookDeltaEvent;
}

const symbol = fc.constantFrom('BTC-USD', 'ETH-USD');

const bookEvent: fc.Arbitrary<BookSnapshotEvent | BookDeltaEvent> = fc.oneof(
  {
    weight: 1,
    arbitrary: fc
      .record({ symbol, sequence: fc.nat(1000), bids: canonicalLevels, asks: canonicalLevels })
      .map(({ symbol, sequence, bids, asks }) => snapshotEvent(bids, asks, { symbol, sequence })),
  },
  {
    weight: 8,
    arbitrary: fc
      .record({
        symbol,
        sequence: fc.nat(1000),
        firstSequence: fc.nat(1000),
        bids: canonicalLevels,
        asks: canonicalLevels,
      })
      .map(({ symbol, sequence, firstSequence, bids, asks }) =>
        deltaEvent(bids, asks, { symbol, sequence, firstSequence, receiveTime: sequence }),
      ),
  },
);

/** Streams with bursts (gap 0), gaps inside an interval of 10 and gaps longer than one. */
export const timedBookEvents: fc.Arbitrary<TimedBookEvent[]> = fc.array(
  fc.record({ gap: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 30 })), event: bookEvent }),
  { maxLength: 40 },
);
