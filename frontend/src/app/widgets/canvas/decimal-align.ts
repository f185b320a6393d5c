/**
 * Lining up a column of decimal strings on their decimal point in a monospaced font, without
 * padding (and so allocating) the strings: each is drawn right-aligned, shifted left by the
 * characters it lacks.
 */

export function fractionDigits(text: string): number {
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}

export function integerDigits(text: string): number {
  const dot = text.indexOf('.');
  return dot < 0 ? text.length : dot;
}

/** Characters to leave right of `text` so its point lines up in a column with `fraction` places. */
export function alignPad(text: string, fraction: number): number {
  if (fraction === 0) return 0;
  const digits = fractionDigits(text);
  return digits === 0 && text.indexOf('.') < 0 ? fraction + 1 : fraction - digits;
}

/** Width in characters of a column whose widest integer part and fraction are these. */
export function columnChars(integer: number, fraction: number): number {
  return integer + (fraction > 0 ? fraction + 1 : 0);
}

/** The widest integer part and fraction among texts (a reusable accumulator, no allocation). */
export class ColumnMeasure {
  integer = 0;
  fraction = 0;

  reset(): this {
    this.integer = 0;
    this.fraction = 0;
    return this;
  }

  add(text: string): void {
    this.integer = Math.max(this.integer, integerDigits(text));
    this.fraction = Math.max(this.fraction, fractionDigits(text));
  }

  get chars(): number {
    return columnChars(this.integer, this.fraction);
  }
}
