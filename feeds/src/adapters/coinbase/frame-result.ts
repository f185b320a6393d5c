import { BookUpdateError } from '../../book';
import { DecimalFormatError } from '../../decimal';
import type { FrameOutcome } from '../venue-adapter';
import { TimeFormatError, UnknownProductError } from './coinbase-values';

/**
 * How a frame was accounted. Handlers return it instead of calling sink.account themselves, so the
 * session accounts each frame exactly once, after the handler, whatever the handler did or threw.
 */
export interface FrameResult {
  readonly outcome: FrameOutcome;
  readonly kind: string;
}

export const parsed = (kind: string): FrameResult => ({ outcome: 'parsed', kind });
export const ignored = (kind: string): FrameResult => ({ outcome: 'ignored', kind });
export const rejected = (kind: string): FrameResult => ({ outcome: 'rejected', kind });

/** The rejection for an error thrown while handling a frame of `what` (a message type or channel). */
export function rejectionOf(what: string, error: unknown): FrameResult {
  if (
    error instanceof DecimalFormatError ||
    error instanceof BookUpdateError ||
    error instanceof TimeFormatError ||
    error instanceof UnknownProductError
  ) {
    return rejected(`${what}: ${error.message}`);
  }
  // Anything else is a bug in the handler; the contract still forbids throwing out of handleFrame.
  return rejected(`${what}: internal error: ${error instanceof Error ? error.message : String(error)}`);
}

/** Frames longer than this are rejected before JSON.parse: far beyond any Coinbase message. */
export const MAX_FRAME_LENGTH = 64 * 1024 * 1024;
