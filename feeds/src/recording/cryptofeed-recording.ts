import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { millisToMicros } from '../model/time';
import type { RecordingEntry } from './recording-entry';
import { RecordingFormatError } from './recording-errors';

/*
 * Reader for the NDJSON captures in ../shared/recordings (converted from cryptofeed's raw-data
 * recorder): one object per line, {"ts": <epoch ms, float>, "dir": "recv"|"sent"|"open"|"http",
 * "url"?: string, "frame"?: string}. REST snapshots live in a companion file and are merged by
 * time, so a session replays as it happened. Read on the fly, never converted to files: those
 * recordings are third-party data that stays outside the project.
 */

interface CryptofeedLine {
  ts?: unknown;
  dir?: unknown;
  url?: unknown;
  frame?: unknown;
}

/** Entries of one cryptofeed NDJSON file; `open` lines start connections 1, 2, ... */
export async function* readCryptofeedFile(path: string): AsyncGenerator<RecordingEntry> {
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  let conn = 0;
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber++;
    if (line.length === 0) continue;
    const where = `${path} line ${lineNumber}`;
    let raw: CryptofeedLine;
    try {
      raw = JSON.parse(line) as CryptofeedLine;
    } catch {
      throw new RecordingFormatError(`${where}: not valid JSON`);
    }
    if (typeof raw.ts !== 'number' || !Number.isFinite(raw.ts)) {
      throw new RecordingFormatError(`${where}: "ts" must be epoch milliseconds`);
    }
    const time = millisToMicros(raw.ts);
    switch (raw.dir) {
      case 'open':
        conn++;
        yield { kind: 'open', time, conn, url: typeof raw.url === 'string' ? raw.url : '' };
        break;
      case 'recv':
      case 'sent':
        if (typeof raw.frame !== 'string') throw new RecordingFormatError(`${where}: "${raw.dir}" without "frame"`);
        // Frames before any "open" line belong to connection 1 as well.
        yield { kind: raw.dir, time, conn: Math.max(conn, 1), data: raw.frame };
        break;
      case 'http':
        if (typeof raw.frame !== 'string' || typeof raw.url !== 'string') {
          throw new RecordingFormatError(`${where}: "http" needs "url" and "frame"`);
        }
        yield { kind: 'http', time, url: raw.url, status: 200, body: raw.frame };
        break;
      default:
        throw new RecordingFormatError(`${where}: unknown "dir" ${JSON.stringify(raw.dir)}`);
    }
  }
}

/**
 * Merges time-ordered entry streams into one, by time (ties keep the order of `sources`), reading
 * one entry ahead per source.
 */
export async function* mergeByTime(sources: readonly AsyncIterable<RecordingEntry>[]): AsyncGenerator<RecordingEntry> {
  const iterators = sources.map((source) => source[Symbol.asyncIterator]());
  const heads: (RecordingEntry | undefined)[] = await Promise.all(
    iterators.map(async (iterator) => (await iterator.next()).value as RecordingEntry | undefined),
  );
  for (;;) {
    let next = -1;
    for (let i = 0; i < heads.length; i++) {
      const head = heads[i];
      if (head === undefined) continue;
      const best = next === -1 ? undefined : heads[next];
      if (best === undefined || head.time < best.time) next = i;
    }
    if (next === -1) return;
    const entry = heads[next] as RecordingEntry;
    const iterator = iterators[next] as AsyncIterator<RecordingEntry>;
    const result = await iterator.next();
    heads[next] = result.done === true ? undefined : result.value;
    yield entry;
  }
}

/** A cryptofeed session: the WebSocket file merged by time with its REST companion, if any. */
export function readCryptofeedSession(wsPath: string, httpPath?: string): AsyncGenerator<RecordingEntry> {
  const sources = [readCryptofeedFile(wsPath)];
  if (httpPath !== undefined) sources.push(readCryptofeedFile(httpPath));
  return mergeByTime(sources);
}
