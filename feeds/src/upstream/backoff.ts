/**
 * Exponential backoff with full jitter (the delay is uniform in [0, min(max, base·2^attempt)]),
 * so many clients dropped at once do not reconnect in lockstep and trip venue connection limits.
 */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly baseMs: number,
    private readonly maxMs: number,
    private readonly random: () => number = Math.random,
  ) {
    if (!(baseMs > 0 && maxMs >= baseMs))
      throw new RangeError(`backoff needs 0 < base <= max, got ${baseMs}, ${maxMs}`);
  }

  /** The delay before the next attempt. */
  next(): number {
    const ceiling = Math.min(this.maxMs, this.baseMs * 2 ** this.attempt);
    this.attempt = Math.min(this.attempt + 1, 30);
    return Math.floor(this.random() * ceiling);
  }

  reset(): void {
    this.attempt = 0;
  }

  get attempts(): number {
    return this.attempt;
  }
}
