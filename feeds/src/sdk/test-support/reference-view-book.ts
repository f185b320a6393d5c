import Decimal from 'decimal.js';

const D = Decimal.clone({ precision: 200 });

export type Side = 'bids' | 'asks';
export type Level = readonly [price: string, size: string];

/**
 * What the gateway does, built the simplest way and sharing no code with LocalBook: a full
 * (unbounded) book in Maps, sorted with decimal.js only when read, whose top-`depth` view is the
 * truth a client's local book must reproduce from the snapshot and the view diffs.
 */
export class ReferenceViewBook {
  private readonly sides: Record<Side, Map<string, string>> = { bids: new Map(), asks: new Map() };

  constructor(readonly depth: number) {}

  /** Sets a level of the full book; size "0" removes it. */
  set(side: Side, price: string, size: string): void {
    if (new D(size).isZero()) this.sides[side].delete(price);
    else this.sides[side].set(price, size);
  }

  has(side: Side, price: string): boolean {
    return this.sides[side].has(price);
  }

  /** The top `depth` levels, best first. */
  view(side: Side): Level[] {
    const direction = side === 'bids' ? -1 : 1;
    return [...this.sides[side].entries()].sort(([a], [b]) => direction * new D(a).comparedTo(b)).slice(0, this.depth);
  }
}

/**
 * The levels of the view that changed from `before` to `after`: new or resized ones with their
 * size, vanished ones with "0". With `omitFallenOff`, a level that left the view but is still in the
 * full book (pushed below the depth) is left out, as a gateway may rely on the client's trim.
 */
export function viewDiff(
  before: readonly Level[],
  after: readonly Level[],
  stillInBook: (price: string) => boolean,
  omitFallenOff: boolean,
): Level[] {
  const afterSizes = new Map(after);
  const beforeSizes = new Map(before);
  const changes: Level[] = [];
  for (const [price, size] of after) if (beforeSizes.get(price) !== size) changes.push([price, size]);
  for (const [price] of before)
    if (!afterSizes.has(price) && !(omitFallenOff && stillInBook(price))) changes.push([price, '0']);
  return changes;
}
