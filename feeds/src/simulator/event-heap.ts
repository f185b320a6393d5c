/**
 * Min-heap of (time, symbol index): the next event of every symbol. Equal times pop in index
 * order, so the run is deterministic. Only the top is ever replaced (a symbol schedules its next
 * event after running one), so there is no general insert.
 */
export class EventHeap {
  private readonly times: number[];
  private readonly ids: number[];

  constructor(times: readonly number[]) {
    this.times = [...times];
    this.ids = times.map((_, index) => index);
    for (let i = (this.times.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  get topTime(): number {
    return this.times[0] ?? Infinity;
  }

  get topId(): number {
    return this.ids[0] ?? -1;
  }

  /** Reschedules the top symbol at `time`. */
  replaceTop(time: number): void {
    this.times[0] = time;
    this.siftDown(0);
  }

  private before(a: number, b: number): boolean {
    const ta = this.times[a] as number;
    const tb = this.times[b] as number;
    return ta < tb || (ta === tb && (this.ids[a] as number) < (this.ids[b] as number));
  }

  private siftDown(start: number): void {
    const n = this.times.length;
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) return;
      const right = left + 1;
      const child = right < n && this.before(right, left) ? right : left;
      if (!this.before(child, i)) return;
      this.swap(i, child);
      i = child;
    }
  }

  private swap(a: number, b: number): void {
    const time = this.times[a] as number;
    this.times[a] = this.times[b] as number;
    this.times[b] = time;
    const id = this.ids[a] as number;
    this.ids[a] = this.ids[b] as number;
    this.ids[b] = id;
  }
}
