/**
 * Fixed-capacity ring of the latest items (the trades tape): memory is bounded by the capacity, a
 * push never allocates (slots are preallocated and overwritten), and the oldest item is dropped
 * once the ring is full.
 */
export class RingBuffer<T> {
  private readonly slots: (T | undefined)[];
  private head = 0;
  private count = 0;
  /** Items ever pushed since the last clear: lets a reader tell how many arrived since it looked. */
  private pushed = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    this.slots = new Array<T | undefined>(capacity).fill(undefined);
  }

  get size(): number {
    return this.count;
  }

  get totalPushed(): number {
    return this.pushed;
  }

  push(item: T): void {
    this.slots[this.head] = item;
    this.head = (this.head + 1) % this.capacity;
    if (this.count < this.capacity) this.count++;
    this.pushed++;
  }

  pushAll(items: readonly T[]): void {
    // Only the last `capacity` items can survive: skip the rest.
    for (let index = Math.max(0, items.length - this.capacity); index < items.length; index++) {
      this.push(items[index] as T);
    }
    this.pushed += Math.max(0, items.length - this.capacity);
  }

  /** The item `age` places back from the newest (0 = newest), or undefined past the oldest. */
  newest(age: number): T | undefined {
    if (age < 0 || age >= this.count) return undefined;
    return this.slots[(this.head - 1 - age + this.capacity * 2) % this.capacity];
  }

  clear(): void {
    this.slots.fill(undefined);
    this.head = 0;
    this.count = 0;
    this.pushed = 0;
  }

  /** Newest first (a copy: for tests and the accessible mirror, not the draw loop). */
  toArray(limit = this.count): T[] {
    const out: T[] = [];
    for (let age = 0; age < Math.min(limit, this.count); age++) out.push(this.newest(age) as T);
    return out;
  }
}
