import type { DecimalString } from './decimal-string';
import { fromScaledUnits, rescaleUnits, toScaled } from './scaled';

/**
 * Running exact sum of decimals (volume, notional, cumulative depth). Keeps one BigInt at the
 * widest scale seen, so adding "0.1" then "0.2" gives exactly "0.3" and totals beyond 2^53 units
 * stay exact.
 */
export class ExactSum {
  private units = 0n;
  private scale = 0;

  add(value: DecimalString): this {
    const term = toScaled(value);
    this.addUnits(term.units, term.scale);
    return this;
  }

  /** Adds the exact product a × b (e.g. price × size for notional). */
  addProduct(a: DecimalString, b: DecimalString): this {
    const x = toScaled(a);
    const y = toScaled(b);
    this.addUnits(x.units * y.units, x.scale + y.scale);
    return this;
  }

  get scaledUnits(): bigint {
    return this.units;
  }

  get unitScale(): number {
    return this.scale;
  }

  value(): DecimalString {
    return fromScaledUnits(this.units, this.scale);
  }

  private addUnits(units: bigint, scale: number): void {
    if (scale > this.scale) {
      this.units = rescaleUnits(this.units, this.scale, scale);
      this.scale = scale;
    }
    this.units += rescaleUnits(units, scale, this.scale);
  }
}
