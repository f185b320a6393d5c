const INITIAL_CAPACITY = 64;

/**
 * One side of the simulated book: price levels as integer ticks with sizes in integer lots.
 *
 * Sorted parallel typed arrays, worst level first and the touch last, with free room at both
 * ends (the live levels are [lo, hi)). Nearly every change happens at one of the two ends: churn,
 * trades and refills at the touch, trims and extensions at the far end; both are O(1) here, and
 * a change in the middle shifts only the shorter part. No per-change allocation (Array#splice
 * allocates its result), which matters: a level is written several times per frame. Keys are the
 * tick for bids and −tick for asks, so both sides sort ascending with the best level last.
 * Ticks and lots are safe integers, exact in a Float64Array.
 */
export class LevelLadder {
  private keys = new Float64Array(INITIAL_CAPACITY);
  private sizes = new Float64Array(INITIAL_CAPACITY);
  private lo = INITIAL_CAPACITY >> 1;
  private hi = INITIAL_CAPACITY >> 1;
  private readonly sign: 1 | -1;

  constructor(readonly isBid: boolean) {
    this.sign = isBid ? 1 : -1;
  }

  get count(): number {
    return this.hi - this.lo;
  }

  /** Best tick, or −∞ for an empty bid side and +∞ for an empty ask side (so crossing checks need no case). */
  bestTick(): number {
    return this.hi === this.lo ? -this.sign * Infinity : this.sign * this.key(this.hi - 1);
  }

  /** Lots at the touch, 0 when empty. */
  bestLots(): number {
    return this.hi === this.lo ? 0 : this.size(this.hi - 1);
  }

  /** Tick of the level `depth` places behind the touch (0 = best). Callers keep depth < count. */
  tickAt(depth: number): number {
    return this.sign * this.key(this.hi - 1 - depth);
  }

  lotsAt(depth: number): number {
    return this.size(this.hi - 1 - depth);
  }

  /** Tick of the level farthest from the touch. Callers keep count > 0. */
  worstTick(): number {
    return this.sign * this.key(this.lo);
  }

  /** Lots at `tick`, 0 when there is no level. */
  lotsAtTick(tick: number): number {
    const index = this.search(this.sign * tick);
    return index >= 0 ? this.size(index) : 0;
  }

  /** Sets the level at `tick` (0 lots removes it) and returns its previous lots (0 when absent). */
  set(tick: number, lots: number): number {
    const key = this.sign * tick;
    const index = this.search(key);
    if (index >= 0) {
      const previous = this.size(index);
      if (lots === 0) this.removeAt(index);
      else this.sizes[index] = lots;
      return previous;
    }
    if (lots !== 0) this.insertAt(~index, key, lots);
    return 0;
  }

  /**
   * Index of `key`, or the bitwise complement of where it would be inserted. Checks the two ends
   * first: most lookups are there.
   */
  private search(key: number): number {
    const { lo, hi } = this;
    if (hi === lo) return ~hi;
    const last = this.key(hi - 1);
    if (key === last) return hi - 1;
    if (key > last) return ~hi;
    const first = this.key(lo);
    if (key === first) return lo;
    if (key < first) return ~lo;
    let low = lo + 1;
    let high = hi - 2;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const value = this.key(mid);
      if (value < key) low = mid + 1;
      else if (value > key) high = mid - 1;
      else return mid;
    }
    return ~low;
  }

  /** Inserts before position `at` (lo ≤ at ≤ hi), shifting whichever part is shorter. */
  private insertAt(at: number, key: number, lots: number): void {
    const frontShorter = at - this.lo < this.hi - at;
    if ((frontShorter && this.lo === 0) || (!frontShorter && this.hi === this.keys.length)) {
      const offset = this.recenter();
      this.insertAt(at + offset, key, lots);
      return;
    }
    if (frontShorter) {
      this.keys.copyWithin(this.lo - 1, this.lo, at);
      this.sizes.copyWithin(this.lo - 1, this.lo, at);
      this.lo--;
      this.keys[at - 1] = key;
      this.sizes[at - 1] = lots;
    } else {
      this.keys.copyWithin(at + 1, at, this.hi);
      this.sizes.copyWithin(at + 1, at, this.hi);
      this.hi++;
      this.keys[at] = key;
      this.sizes[at] = lots;
    }
  }

  private removeAt(index: number): void {
    if (index - this.lo < this.hi - 1 - index) {
      this.keys.copyWithin(this.lo + 1, this.lo, index);
      this.sizes.copyWithin(this.lo + 1, this.lo, index);
      this.lo++;
    } else {
      this.keys.copyWithin(index, index + 1, this.hi);
      this.sizes.copyWithin(index, index + 1, this.hi);
      this.hi--;
    }
  }

  /**
   * Moves the levels to the middle of a buffer with room on both sides (growing it when more than
   * half full) and returns how far indexes moved.
   */
  private recenter(): number {
    const count = this.count;
    const capacity = count * 2 + 2 > this.keys.length ? this.keys.length * 2 : this.keys.length;
    const lo = (capacity - count) >> 1;
    const keys = new Float64Array(capacity);
    const sizes = new Float64Array(capacity);
    keys.set(this.keys.subarray(this.lo, this.hi), lo);
    sizes.set(this.sizes.subarray(this.lo, this.hi), lo);
    const offset = lo - this.lo;
    this.keys = keys;
    this.sizes = sizes;
    this.lo = lo;
    this.hi = lo + count;
    return offset;
  }

  // Index accessors: callers stay within [lo, hi), so the value is always defined.
  private key(index: number): number {
    return this.keys[index] as number;
  }

  private size(index: number): number {
    return this.sizes[index] as number;
  }
}
