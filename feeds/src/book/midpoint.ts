import { type DecimalString, ExactSum, fromScaledUnits } from '../decimal';

/**
 * Exact (a + b) / 2. Halving a decimal with s places is exact at s + 1 places
 * ((a + b) / 2 = (a + b) × 5 / 10), so this never rounds: midpoint("0.1", "0.2") is "0.15".
 */
export function midpoint(a: DecimalString, b: DecimalString): DecimalString {
  const sum = new ExactSum().add(a).add(b);
  return fromScaledUnits(sum.scaledUnits * 5n, sum.unitScale + 1);
}
