/**
 * Events per second over a sliding window of whole-second buckets (message rates in the status
 * bar). Counting is O(1) and allocation-free; `now` is injectable for tests.
 */
export class RateMeter {
  private readonly buckets: Float64Array;
  private currentSecond = -1;

  constructor(
    private readonly windowSeconds = 5,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.buckets = new Float64Array(windowSeconds + 1);
  }

  add(count = 1): void {
    this.advance();
    const index = this.currentSecond % this.buckets.length;
    this.buckets[index] = (this.buckets[index] ?? 0) + count;
  }

  /** Mean events per second over the last `windowSeconds` complete seconds. */
  perSecond(): number {
    this.advance();
    let total = 0;
    for (let age = 1; age <= this.windowSeconds; age++) {
      total += this.buckets[(this.currentSecond - age + this.buckets.length * 2) % this.buckets.length] ?? 0;
    }
    return total / this.windowSeconds;
  }

  private advance(): void {
    const second = Math.floor(this.now() / 1000);
    if (this.currentSecond < 0) {
      this.currentSecond = second;
      return;
    }
    const steps = Math.min(second - this.currentSecond, this.buckets.length);
    for (let step = 1; step <= steps; step++) this.buckets[(this.currentSecond + step) % this.buckets.length] = 0;
    if (second > this.currentSecond) this.currentSecond = second;
  }
}
