/** Numbers per entry: time, update id, level key, previous lots. */
const STRIDE = 4;

/**
 * Recent level changes of one symbol's book, so REST can answer "the book as of time T" for a T
 * slightly behind the simulation (the virtual exchange pulls a frame before its time comes, which
 * already applied that frame's event). Each entry is the level's size before the change.
 *
 * One flat Float64Array used as a queue (entries [head, tail)), not entry objects: a change is
 * recorded for every level write, so this must not allocate. All values are safe integers.
 */
export class ChangeJournal {
  private entries = new Float64Array(STRIDE * 1024);
  private head = 0;
  private tail = 0;
  /** Every change with time ≥ this is still in the journal. */
  private retainedFrom = -Infinity;

  /** `levelKey` is the tick for a bid level, −tick for an ask level (ticks are ≥ 1). */
  record(time: number, updateId: number, levelKey: number, previousLots: number): void {
    if (this.tail + STRIDE > this.entries.length) this.makeRoom();
    const entries = this.entries;
    const at = this.tail;
    entries[at] = time;
    entries[at + 1] = updateId;
    entries[at + 2] = levelKey;
    entries[at + 3] = previousLots;
    this.tail = at + STRIDE;
  }

  /** Forgets changes before `time`. */
  prune(time: number): void {
    let head = this.head;
    while (head < this.tail && this.value(head) < time) head += STRIDE;
    this.head = head;
    if (time > this.retainedFrom) this.retainedFrom = time;
  }

  /** True when every change after `time` is still recorded, so the book can be rolled back to it. */
  canRollBackTo(time: number): boolean {
    return time + 1 >= this.retainedFrom;
  }

  /**
   * Visits the changes after `time`, newest first, with the size each level had before the change;
   * applying them in that order restores the book as of `time`. Returns the update id of the
   * oldest undone change (0 when nothing is after `time`).
   */
  rollBack(time: number, undo: (levelKey: number, previousLots: number) => void): number {
    let firstUndoneId = 0;
    for (let at = this.tail - STRIDE; at >= this.head && this.value(at) > time; at -= STRIDE) {
      undo(this.value(at + 2), this.value(at + 3));
      firstUndoneId = this.value(at + 1);
    }
    return firstUndoneId;
  }

  /** Drops the pruned prefix, and doubles the buffer if that frees less than half of it. */
  private makeRoom(): void {
    const live = this.tail - this.head;
    const entries = live * 2 > this.entries.length ? new Float64Array(this.entries.length * 2) : this.entries;
    entries.set(this.entries.subarray(this.head, this.tail), 0);
    this.entries = entries;
    this.head = 0;
    this.tail = live;
  }

  private value(index: number): number {
    return this.entries[index] as number;
  }
}
