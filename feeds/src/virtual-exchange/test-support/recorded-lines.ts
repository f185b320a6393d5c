import { readFileSync } from 'node:fs';
import { sharedRecording } from '../../test-support/shared-recordings';

/**
 * The raw lines of a shared recording, read without the code under test, so that expectations
 * ("the frames of these streams, in order") come straight from the capture.
 */
export interface RecordedLine {
  readonly ts: number;
  readonly dir: 'recv' | 'sent' | 'open' | 'http';
  readonly url?: string;
  readonly frame?: string;
}

export function recordedLines(relativePath: string): RecordedLine[] {
  return readFileSync(sharedRecording(relativePath), 'utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as RecordedLine);
}

/** Received frame texts, in order. */
export function recordedFrames(relativePath: string): string[] {
  return recordedLines(relativePath)
    .filter((line) => line.dir === 'recv' && line.frame !== undefined)
    .map((line) => line.frame ?? '');
}

/** Received frames with their receive times (ms), in order. */
export function recordedTimedFrames(relativePath: string): { ts: number; frame: string }[] {
  return recordedLines(relativePath)
    .filter((line) => line.dir === 'recv' && line.frame !== undefined)
    .map((line) => ({ ts: line.ts, frame: line.frame ?? '' }));
}
