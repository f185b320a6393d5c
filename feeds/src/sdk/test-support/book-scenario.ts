import fc from 'fast-check';
import type { WireBook } from '../../api/protocol';
import type { DecimalString } from '../../decimal';
import type { PriceLevel } from '../../model/events';
import { type Level, ReferenceViewBook, type Side, viewDiff } from './reference-view-book';

const NONZERO = ['1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;
const DIGIT = ['0', ...NONZERO] as const;

const digits = (min: number, max: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...DIGIT), minLength: min, maxLength: max });

/** Canonical positive decimals: "0.00001234", "64000.5", "123456789012345678.000000000000000001". */
export const canonicalPositive: fc.Arbitrary<string> = fc
  .tuple(
    fc.oneof(
      fc.constant('0'),
      fc.tuple(fc.constantFrom(...NONZERO), digits(0, 17)).map(([a, b]) => a + b),
    ),
    fc.oneof(
      fc.constant(''),
      fc.tuple(digits(0, 17), fc.constantFrom(...NONZERO)).map(([a, b]) => a + b),
    ),
  )
  .filter(([integer, fraction]) => integer !== '0' || fraction !== '')
  .map(([integer, fraction]) => (fraction === '' ? integer : `${integer}.${fraction}`));

/**
 * A price pool: free canonical decimals, and a family sharing a long prefix (like 0.00001234 or
 * 64000.00000000001 with more decimals) whose members differ beyond a double's 17 digits.
 */
const pricePool: fc.Arbitrary<string[]> = fc
  .tuple(
    fc.uniqueArray(canonicalPositive, { minLength: 1, maxLength: 10 }),
    fc.tuple(fc.constantFrom('0.00001234', '64000.', '1.'), digits(10, 14)),
    fc.uniqueArray(fc.tuple(digits(0, 2), fc.constantFrom(...NONZERO)), { maxLength: 10 }),
  )
  .map(([free, [base, shared], suffixes]) => [
    ...new Set([...free, ...suffixes.map(([more, last]) => base + shared + more + last)]),
  ]);

interface Change {
  readonly side: Side;
  readonly priceIndex: number;
  /** null removes the level from the full book. */
  readonly size: string | null;
}

type Step =
  | {
      readonly kind: 'changes';
      readonly changes: readonly Change[];
      /** Leave out the removal of levels pushed below the depth (the client's trim drops them). */
      readonly omitFallenOff: boolean;
      /** Sort keys that shuffle the levels within the update. */
      readonly order: readonly number[];
    }
  | { readonly kind: 'snapshot' };

const change: fc.Arbitrary<Change> = fc.record({
  side: fc.constantFrom<Side>('bids', 'asks'),
  priceIndex: fc.nat(),
  size: fc.option(canonicalPositive, { freq: 3 }),
});

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.record({
      kind: fc.constant('changes' as const),
      changes: fc.array(change, { maxLength: 10 }),
      omitFallenOff: fc.boolean(),
      order: fc.array(fc.integer(), { minLength: 1, maxLength: 30 }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'snapshot' as const }) },
);

export interface BookScenario {
  readonly depth: number;
  readonly prices: readonly string[];
  /** The full book before the first snapshot. */
  readonly initial: readonly Change[];
  readonly steps: readonly Step[];
}

export const bookScenario: fc.Arbitrary<BookScenario> = fc.record({
  depth: fc.integer({ min: 1, max: 6 }),
  prices: pricePool,
  initial: fc.array(change, { maxLength: 16 }),
  steps: fc.array(step, { minLength: 1, maxLength: 40 }),
});

/** One message the gateway sends, and the view the client must hold after it. */
export interface ScenarioMessage {
  readonly type: 'snapshot' | 'update';
  readonly seq: number;
  readonly data: WireBook;
  /** Later snapshots stand for the gateway's conflated replacements. */
  readonly conflated: boolean;
  readonly expected: { readonly bids: readonly Level[]; readonly asks: readonly Level[] };
}

function wire(levels: readonly Level[]): PriceLevel[] {
  return levels.map(([price, size]) => [price as DecimalString, size as DecimalString]);
}

function reorder<T>(items: readonly T[], keys: readonly number[]): T[] {
  return items
    .map((item, i) => ({ item, key: keys[i % keys.length] ?? 0, i }))
    .sort((a, b) => a.key - b.key || a.i - b.i)
    .map(({ item }) => item);
}

/** What a gateway following docs/api.md sends for the scenario: a snapshot, then view diffs. */
export function playBookScenario(scenario: BookScenario, firstSeq = 0): ScenarioMessage[] {
  const reference = new ReferenceViewBook(scenario.depth);
  const apply = (changes: readonly Change[]): void => {
    for (const { side, priceIndex, size } of changes)
      reference.set(side, scenario.prices[priceIndex % scenario.prices.length] as string, size ?? '0');
  };
  const views = (): ScenarioMessage['expected'] => ({ bids: reference.view('bids'), asks: reference.view('asks') });
  const snapshot = (seq: number, conflated: boolean): ScenarioMessage => {
    const expected = views();
    const data = {
      bids: wire(expected.bids),
      asks: wire(expected.asks),
      sequence: seq,
      venueTime: null,
      receiveTime: seq,
    };
    return { type: 'snapshot', seq, data, conflated, expected };
  };
  apply(scenario.initial);
  const messages = [snapshot(firstSeq, false)];
  let seq = firstSeq;
  for (const current of scenario.steps) {
    seq++;
    if (current.kind === 'snapshot') {
      messages.push(snapshot(seq, true));
      continue;
    }
    const before = views();
    apply(current.changes);
    const expected = views();
    const diff = (side: Side): PriceLevel[] =>
      wire(
        reorder(
          viewDiff(before[side], expected[side], (price) => reference.has(side, price), current.omitFallenOff),
          current.order,
        ),
      );
    const data = { bids: diff('bids'), asks: diff('asks'), sequence: seq, venueTime: null, receiveTime: seq };
    messages.push({ type: 'update', seq, data, conflated: false, expected });
  }
  return messages;
}
