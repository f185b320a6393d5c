import type { VenueFrame } from '../virtual-exchange/frame-source';

/**
 * Where a simulation puts its frames. Every frame is counted, because the rate controller steers
 * by the count; text is only built when `emitting` (a simulation that only answers REST questions
 * skips it, and still makes exactly the same random draws).
 */
export class FrameQueue {
  /** Frames produced so far, emitted or not. */
  produced = 0;
  private items: VenueFrame[] = [];
  private head = 0;

  constructor(readonly emitting: boolean) {}

  get size(): number {
    return this.items.length - this.head;
  }

  push(frame: VenueFrame): void {
    this.items.push(frame);
  }

  /** The oldest frame not yet taken, or undefined when empty. */
  take(): VenueFrame | undefined {
    if (this.head === this.items.length) return undefined;
    const frame = this.items[this.head++];
    if (this.head === this.items.length) {
      // Drained: reuse the array instead of letting taken frames pile up in front.
      this.items.length = 0;
      this.head = 0;
    }
    return frame;
  }
}
