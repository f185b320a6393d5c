import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { JumpableRandomGenerator } from 'pure-rand/types/JumpableRandomGenerator';

const TWO_POW_MINUS_32 = 2 ** -32;
const LN2 = 0.6931471805599453;

/**
 * Natural logarithm from IEEE-754 basic operations only (+ − × ÷), so its result is the same on
 * every JavaScript engine and CPU. `Math.log` is only specified as "implementation-approximated",
 * and a different last bit in an inter-arrival time would change every later frame of a seeded run.
 * Accurate to a few ulps for x > 0, which is all the model's randomness needs.
 */
export function deterministicLn(x: number): number {
  if (!(x > 0) || x === Infinity) throw new RangeError(`deterministicLn needs a finite x > 0, got ${x}`);
  // x = m × 2^e with m in [√½, √2): multiplying by powers of two is exact.
  let m = x;
  let e = 0;
  while (m >= Math.SQRT2) {
    m *= 0.5;
    e++;
  }
  while (m < Math.SQRT1_2) {
    m *= 2;
    e--;
  }
  // ln m = 2 atanh(s) with s = (m − 1)/(m + 1), |s| < 0.172: s² < 0.03, so 12 terms reach 1e-18.
  const s = (m - 1) / (m + 1);
  const s2 = s * s;
  let term = s;
  let sum = 0;
  for (let k = 1; k <= 23; k += 2) {
    sum += term / k;
    term *= s2;
  }
  return 2 * sum + e * LN2;
}

/**
 * The simulator's only source of randomness: pure-rand's xoroshiro128+ with a few draw helpers.
 * Independent streams (one per symbol) come from `jump()`, 2^64 draws apart, so adding a symbol
 * does not change the frames of the others.
 */
export class SimRandom {
  private constructor(private readonly rng: JumpableRandomGenerator) {}

  /**
   * `count` independent streams for a 32-bit seed. Stream k is the seeded generator jumped k + 1
   * times; the first outputs after seeding are skipped because xoroshiro's state starts mostly zero.
   */
  static streams(seed: number, count: number): SimRandom[] {
    const base = xoroshiro128plus(seed);
    for (let i = 0; i < 32; i++) base.next();
    const streams: SimRandom[] = [];
    for (let i = 0; i < count; i++) {
      base.jump();
      streams.push(new SimRandom(base.clone()));
    }
    return streams;
  }

  /** Uniform integer in [min, max] (both included), unbiased. */
  int(min: number, max: number): number {
    return uniformInt(this.rng, min, max);
  }

  /** Uniform in [0, 1) with 32 bits of resolution: plenty for probabilities. */
  unit(): number {
    return (this.rng.next() >>> 0) * TWO_POW_MINUS_32;
  }

  chance(probability: number): boolean {
    return this.unit() < probability;
  }

  /** Exponentially distributed with the given mean (inter-arrival times, regime durations). */
  exponential(mean: number): number {
    // 1 − unit() is in (0, 1], so the logarithm is finite.
    return -mean * deterministicLn(1 - this.unit());
  }

  /** Failures before the first success of a trial with probability `p`, capped at `max`. */
  geometric(p: number, max: number): number {
    let n = 0;
    while (n < max && this.unit() >= p) n++;
    return n;
  }

  /** Integer `base` × (percent / 100) for a uniform percent in [minPercent, maxPercent], at least 1. */
  scaled(base: number, minPercent: number, maxPercent: number): number {
    return Math.max(1, Math.floor((base * this.int(minPercent, maxPercent)) / 100));
  }
}
