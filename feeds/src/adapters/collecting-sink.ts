import type { MarketEvent } from '../model/events';
import type { FrameOutcome, HttpRequest, SessionSink } from './venue-adapter';

/** A SessionSink that keeps everything: for replays, tests and tools. */
export class CollectingSink implements SessionSink {
  readonly events: MarketEvent[] = [];
  readonly sent: string[] = [];
  readonly requests: HttpRequest[] = [];
  readonly replacements: string[] = [];
  /** Frames per outcome and kind, e.g. counts.parsed["depthUpdate applied"]. */
  readonly counts: Record<FrameOutcome, Record<string, number>> = { parsed: {}, ignored: {}, rejected: {} };
  frames = 0;

  event(event: MarketEvent): void {
    this.events.push(event);
  }

  send(text: string): void {
    this.sent.push(text);
  }

  request(request: HttpRequest): void {
    this.requests.push(request);
  }

  account(outcome: FrameOutcome, kind: string): void {
    this.frames++;
    const byKind = this.counts[outcome];
    byKind[kind] = (byKind[kind] ?? 0) + 1;
  }

  replaceConnection(reason: string): void {
    this.replacements.push(reason);
  }

  total(outcome: FrameOutcome): number {
    return Object.values(this.counts[outcome]).reduce((sum, n) => sum + n, 0);
  }
}
