import type { EpochMicros } from '../../model/events';
import type { OkxArg } from './okx-protocol';

/*
 * OKX request limits (docs-v5 "WebSocket / Connect" and "Subscribe"):
 * - "Users can choose to subscribe to one or more channels, and the total length of multiple
 *   channels cannot exceed 64 KB."  → args are batched into as few messages as fit in 64 KB.
 * - "The total number of 'subscribe'/'unsubscribe'/'login' requests per connection is limited to
 *   480 times per hour."  → OkxRequestBudget counts them per connection over a sliding hour.
 */

export type OkxOp = 'subscribe' | 'unsubscribe';

/** 64 KB, the documented cap of one request. */
export const OKX_MAX_REQUEST_BYTES = 64 * 1024;
export const OKX_REQUESTS_PER_HOUR = 480;
const HOUR_MICROS = 3600 * 1_000_000;

const encoder = new TextEncoder();

/**
 * `{"op":..., "args":[{"channel":..., "instId":...}, ...]}` messages covering `args` in order, each
 * at most `maxBytes` of UTF-8 (one arg alone over the cap still gets a message of its own: the
 * venue's error then names it). No message for an empty list.
 */
export function buildRequests(op: OkxOp, args: readonly OkxArg[], maxBytes = OKX_MAX_REQUEST_BYTES): string[] {
  const head = `{"op":"${op}","args":[`;
  const tail = ']}';
  const messages: string[] = [];
  let parts: string[] = [];
  let bytes = head.length + tail.length;
  for (const arg of args) {
    const part = JSON.stringify({ channel: arg.channel, instId: arg.instId });
    const size = encoder.encode(part).length;
    // A "," separates it from the previous arg.
    if (parts.length > 0 && bytes + 1 + size > maxBytes) {
      messages.push(head + parts.join(',') + tail);
      parts = [];
      bytes = head.length + tail.length;
    }
    bytes += (parts.length > 0 ? 1 : 0) + size;
    parts.push(part);
  }
  if (parts.length > 0) messages.push(head + parts.join(',') + tail);
  return messages;
}

/**
 * Subscribe/unsubscribe requests sent on one connection within the last hour. The session has no
 * clock of its own, so times are the ones the connection manager hands it (open, frame receive).
 */
export class OkxRequestBudget {
  private readonly sent: EpochMicros[] = [];

  constructor(readonly perHour = OKX_REQUESTS_PER_HOUR) {}

  /** Requests still allowed in the hour ending at `now`. */
  remaining(now: EpochMicros): number {
    this.expire(now);
    return this.perHour - this.sent.length;
  }

  record(now: EpochMicros, count = 1): void {
    this.expire(now);
    for (let i = 0; i < count; i++) this.sent.push(now);
  }

  private expire(now: EpochMicros): void {
    let drop = 0;
    while (drop < this.sent.length && (this.sent[drop] as number) <= now - HOUR_MICROS) drop++;
    if (drop > 0) this.sent.splice(0, drop);
  }
}
