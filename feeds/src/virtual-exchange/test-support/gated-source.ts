import type { EpochMicros } from '../../model/events';
import type { FrameSource, VenueFrame, VenueHttpResponse } from '../frame-source';

/**
 * A frame source that stops after its first `pauseAfter` frames until `release()`: at speed
 * 'max' the exchange publishes up to that point, then waits, so a test can act "late in the
 * recording" at an exact, repeatable position.
 */
export class GatedSource implements FrameSource {
  readonly venue: string;
  /** Resolves once `pauseAfter` frames have been handed out and the gate holds the rest. */
  readonly reached: Promise<void>;
  private resolveReached!: () => void;
  private open!: () => void;
  private readonly gate: Promise<void>;

  constructor(
    private readonly inner: FrameSource,
    private readonly pauseAfter: number,
  ) {
    this.venue = inner.venue;
    this.reached = new Promise((resolve) => {
      this.resolveReached = resolve;
    });
    this.gate = new Promise((resolve) => {
      this.open = resolve;
    });
  }

  release(): void {
    this.open();
  }

  async *frames(): AsyncGenerator<VenueFrame> {
    let index = 0;
    for await (const frame of this.inner.frames()) {
      if (index++ === this.pauseAfter) {
        this.resolveReached();
        await this.gate;
      }
      yield frame;
    }
  }

  http(url: URL, now: EpochMicros): VenueHttpResponse | undefined {
    return this.inner.http?.(url, now);
  }
}
