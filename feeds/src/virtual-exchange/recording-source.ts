import type { EpochMicros } from '../model/events';
import type { HttpEntry, RecordingEntry } from '../recording/recording-entry';
import type { Dialect } from './dialect';
import type { FrameSource, VenueFrame, VenueHttpResponse } from './frame-source';

/** A recording turned into a frame source, with what reading it found. */
export interface RecordingFrameSource extends FrameSource {
  /** Data frames, in recorded order. */
  readonly frameCount: number;
  /** Stream keys of the data frames, in order of first appearance. */
  readonly streams: readonly string[];
  /** Control frames dropped because the dialect regenerates them (acks, heartbeats, status, pongs). */
  readonly controlFrames: number;
  /** Frames the dialect could not place, with the first reasons; a correct recording has none. */
  readonly unclassified: number;
  readonly unclassifiedReasons: readonly string[];
  /** Recorded REST responses. */
  readonly httpEntries: readonly HttpEntry[];
  readonly startTime: EpochMicros | undefined;
  readonly endTime: EpochMicros | undefined;
  /** Always present: answers from the recorded REST responses through the dialect. */
  http(url: URL, now: EpochMicros): VenueHttpResponse | undefined;
}

/**
 * Reads a recording (e.g. `readCryptofeedSession(...)`) into memory and serves it as frames of
 * `dialect`: each received frame becomes a VenueFrame tagged with the dialect's stream key, control
 * frames the dialect regenerates itself are dropped, and recorded REST responses answer `http`.
 * Frames the client sent and open/close marks are not served. The dialect learns the recorded
 * streams and venue ids while reading, so use one dialect instance per recording.
 *
 * The recording is held in memory (the shared captures are at most a few MB) so that `frames()`
 * can start a new pass any number of times, as the FrameSource contract asks.
 */
export async function recordingFrameSource(
  dialect: Dialect,
  entries: AsyncIterable<RecordingEntry> | Iterable<RecordingEntry>,
): Promise<RecordingFrameSource> {
  const frames: VenueFrame[] = [];
  const httpEntries: HttpEntry[] = [];
  const streams = new Set<string>();
  const connectionUrls = new Map<number, string>();
  const unclassifiedReasons: string[] = [];
  let controlFrames = 0;
  let unclassified = 0;
  let lastTime = -Infinity;
  for await (const entry of entries) {
    switch (entry.kind) {
      case 'open':
        connectionUrls.set(entry.conn, entry.url);
        break;
      case 'http':
        httpEntries.push(entry);
        break;
      case 'recv': {
        if (typeof entry.data !== 'string') {
          unclassified++;
          if (unclassifiedReasons.length < 5) unclassifiedReasons.push('binary frame');
          break;
        }
        const classified = dialect.classifyRecorded(entry.data, { url: connectionUrls.get(entry.conn) });
        if (classified.kind === 'control') {
          controlFrames++;
        } else if (classified.kind === 'unknown') {
          unclassified++;
          if (unclassifiedReasons.length < 5) unclassifiedReasons.push(classified.reason);
        } else {
          // A timeline must not go backwards; merged captures are ordered, but guard against ties broken badly.
          const time = Math.max(entry.time, lastTime);
          lastTime = time;
          frames.push({ time, stream: classified.stream, data: classified.data });
          streams.add(classified.stream);
        }
        break;
      }
      case 'sent':
      case 'close':
        break;
    }
  }
  const bySnapshotTime = [...httpEntries].sort((a, b) => a.time - b.time);
  dialect.learnRecordedHttp?.(bySnapshotTime);
  return {
    venue: dialect.venue,
    frameCount: frames.length,
    streams: [...streams],
    controlFrames,
    unclassified,
    unclassifiedReasons,
    httpEntries: bySnapshotTime,
    startTime: frames[0]?.time,
    endTime: frames[frames.length - 1]?.time,
    async *frames(): AsyncGenerator<VenueFrame> {
      // Yields synchronously from memory; the timeline paces and yields to the event loop itself.
      for (const frame of frames) yield await Promise.resolve(frame);
    },
    http(url: URL, now: EpochMicros): VenueHttpResponse | undefined {
      return dialect.recordedHttp?.(url, bySnapshotTime, now);
    },
  };
}

/**
 * The recorded response to choose at exchange time `now` among `candidates` (sorted by time):
 * the first one recorded at or after `now`, else the latest.
 *
 * Why: a depth snapshot must not be older than the diffs a client has already been sent, or the
 * client (which buffers diffs from its connection on, then fetches the snapshot) finds a gap
 * between the snapshot and its first buffered diff and can never sync. A snapshot recorded at or
 * after `now` carries a lastUpdateId at least as new as everything published so far, and the diffs
 * that bridge it are still to come on the timeline, exactly as at the venue when the REST answer
 * overtakes the stream. Past the last recorded snapshot there is nothing newer: the latest is the
 * best answer, and a client connecting that late sees the gap the recording really has.
 * (Binance answers this way only until the timeline reaches a symbol's first recorded snapshot;
 * from then on it serves its live book, see binance-depth.ts.)
 */
export function recordedAt<T extends { readonly time: EpochMicros }>(
  candidates: readonly T[],
  now: EpochMicros,
): T | undefined {
  for (const candidate of candidates) if (candidate.time >= now) return candidate;
  return candidates[candidates.length - 1];
}
