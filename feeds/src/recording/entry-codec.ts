import { RecordingFormatError } from './recording-errors';
import type { RecordingEntry, RecordingHeader } from './recording-entry';
import { RECORDING_FORMAT, RECORDING_FORMAT_VERSION } from './recording-entry';

/*
 * One JSON object per line, with short keys because a recording holds millions of lines:
 *   {"t":<µs>,"k":"recv"|"sent","c":<conn>,"d":"<text frame>"}  or  "b":"<base64 of a binary frame>"
 *   {"t":<µs>,"k":"open","c":<conn>,"u":"<url>"}
 *   {"t":<µs>,"k":"close","c":<conn>,"code":<int|null>,"r":"<reason>"}
 *   {"t":<µs>,"k":"http","u":"<url>","s":<status>,"d":"<body>"}
 * Decoding checks fields by hand rather than with a schema library: it runs once per recorded
 * frame during replay, which is the hot path whose throughput we report.
 */

interface EntryLine {
  t?: unknown;
  k?: unknown;
  c?: unknown;
  d?: unknown;
  b?: unknown;
  u?: unknown;
  s?: unknown;
  code?: unknown;
  r?: unknown;
}

export function encodeEntry(entry: RecordingEntry): string {
  switch (entry.kind) {
    case 'recv':
    case 'sent':
      return typeof entry.data === 'string'
        ? JSON.stringify({ t: entry.time, k: entry.kind, c: entry.conn, d: entry.data })
        : JSON.stringify({ t: entry.time, k: entry.kind, c: entry.conn, b: toBase64(entry.data) });
    case 'open':
      return JSON.stringify({ t: entry.time, k: 'open', c: entry.conn, u: entry.url });
    case 'close':
      return JSON.stringify({ t: entry.time, k: 'close', c: entry.conn, code: entry.code, r: entry.reason });
    case 'http':
      return JSON.stringify({ t: entry.time, k: 'http', u: entry.url, s: entry.status, d: entry.body });
  }
}

function isInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

function fail(reason: string, where: string): never {
  throw new RecordingFormatError(`${where}: ${reason}`);
}

/** Parses one entry line; `where` names the line in errors (file, block, line number). */
export function decodeEntry(line: string, where: string): RecordingEntry {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    fail('not valid JSON', where);
  }
  if (typeof raw !== 'object' || raw === null) fail('not a JSON object', where);
  const value = raw as EntryLine;
  const time = value.t;
  if (!isInteger(time)) fail('"t" must be integer microseconds', where);
  switch (value.k) {
    case 'recv':
    case 'sent': {
      if (!isInteger(value.c)) fail('"c" must be an integer connection id', where);
      if (typeof value.d === 'string') return { time, kind: value.k, conn: value.c, data: value.d };
      if (typeof value.b === 'string') return { time, kind: value.k, conn: value.c, data: fromBase64(value.b) };
      return fail('a frame needs "d" (text) or "b" (base64)', where);
    }
    case 'open':
      if (!isInteger(value.c) || typeof value.u !== 'string') fail('"open" needs "c" and "u"', where);
      return { time, kind: 'open', conn: value.c, url: value.u };
    case 'close':
      if (!isInteger(value.c)) fail('"close" needs "c"', where);
      if (value.code !== null && !isInteger(value.code)) fail('"code" must be an integer or null', where);
      return {
        time,
        kind: 'close',
        conn: value.c,
        code: value.code,
        reason: typeof value.r === 'string' ? value.r : '',
      };
    case 'http':
      if (typeof value.u !== 'string' || !isInteger(value.s) || typeof value.d !== 'string') {
        fail('"http" needs "u", "s" and "d"', where);
      }
      return { time, kind: 'http', url: value.u, status: value.s, body: value.d };
    default:
      return fail(`unknown entry kind ${JSON.stringify(value.k)}`, where);
  }
}

export function encodeHeader(header: RecordingHeader): string {
  return JSON.stringify(header);
}

export function decodeHeader(line: string, where: string): RecordingHeader {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    fail('header is not valid JSON', where);
  }
  const header = raw as Partial<Record<keyof RecordingHeader, unknown>> | null;
  if (header?.format !== RECORDING_FORMAT) fail(`not a ${RECORDING_FORMAT} file`, where);
  if (header.version !== RECORDING_FORMAT_VERSION) {
    fail(
      `format version ${String(header.version)} is not supported (this build reads ${RECORDING_FORMAT_VERSION})`,
      where,
    );
  }
  if (typeof header.venue !== 'string' || !Array.isArray(header.streams) || !isInteger(header.startTime)) {
    fail('header needs "venue", "streams" and "startTime"', where);
  }
  return {
    format: RECORDING_FORMAT,
    version: RECORDING_FORMAT_VERSION,
    venue: header.venue,
    streams: header.streams.filter((stream): stream is string => typeof stream === 'string'),
    startTime: header.startTime,
    writer: typeof header.writer === 'string' ? header.writer : 'unknown',
    part: isInteger(header.part) ? header.part : 0,
  };
}

function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

function fromBase64(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'base64'));
}
