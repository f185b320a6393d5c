import { microsToIso } from '../model/time';
import type { RecordingEntry, RecordingEntryKind, RecordingHeader } from '../recording/recording-entry';
import { labelFrame } from './frame-label';
import { type SequenceGap, SequenceTracker } from './sequence-tracker';

export interface StreamCount {
  readonly stream: string;
  readonly frames: number;
  readonly bytes: number;
}

export interface Silence {
  readonly conn: number;
  readonly from: number;
  readonly to: number;
  readonly seconds: number;
}

export interface InspectionReport {
  readonly file: string;
  readonly header: RecordingHeader | null;
  readonly entries: number;
  readonly byKind: Partial<Record<RecordingEntryKind, number>>;
  readonly connections: number;
  readonly firstTime: number | null;
  readonly lastTime: number | null;
  readonly spanSeconds: number;
  /** Received frames per stream, most frames first. */
  readonly streams: readonly StreamCount[];
  /** Stretches longer than the threshold with no frame received on an open connection. */
  readonly silences: readonly Silence[];
  readonly sequenceFramesChecked: number;
  readonly sequenceGaps: readonly SequenceGap[];
  /** Received text frames that are not JSON (OKX "pong" and the like), and binary frames. */
  readonly nonJsonFrames: number;
  /** Set when the file was read up to damage (truncated or corrupt): what went wrong. */
  readonly damage: string | null;
}

export interface InspectOptions {
  /** A silence longer than this on a connection is reported (default 5 s). */
  readonly silenceMicros?: number;
  /** Called after each entry, for progress display. */
  readonly onEntry?: (count: number) => void;
}

/** Reads a whole recording once and summarizes it; damage ends the read and is reported, not thrown. */
export async function inspectRecording(
  file: string,
  header: RecordingHeader | null,
  entries: AsyncIterable<RecordingEntry>,
  options: InspectOptions = {},
): Promise<InspectionReport> {
  const silenceMicros = options.silenceMicros ?? 5_000_000;
  const byKind: Partial<Record<RecordingEntryKind, number>> = {};
  const streams = new Map<string, { frames: number; bytes: number }>();
  const lastReceive = new Map<number, number>();
  const silences: Silence[] = [];
  const sequences = new SequenceTracker();
  const connections = new Set<number>();
  let count = 0;
  let firstTime: number | null = null;
  let lastTime: number | null = null;
  let nonJson = 0;
  let damage: string | null = null;
  try {
    for await (const entry of entries) {
      count++;
      byKind[entry.kind] = (byKind[entry.kind] ?? 0) + 1;
      firstTime ??= entry.time;
      lastTime = lastTime === null ? entry.time : Math.max(lastTime, entry.time);
      if (entry.kind === 'open') {
        connections.add(entry.conn);
        lastReceive.set(entry.conn, entry.time);
      } else if (entry.kind === 'close') {
        lastReceive.delete(entry.conn);
      } else if (entry.kind === 'recv') {
        connections.add(entry.conn);
        const previous = lastReceive.get(entry.conn);
        if (previous !== undefined && entry.time - previous > silenceMicros) {
          silences.push({ conn: entry.conn, from: previous, to: entry.time, seconds: (entry.time - previous) / 1e6 });
        }
        lastReceive.set(entry.conn, entry.time);
        const parsed = parseFrame(entry.data);
        if (parsed === undefined) nonJson++;
        const label = parsed === undefined ? 'non-JSON' : labelFrame(parsed);
        const stream = streams.get(label) ?? { frames: 0, bytes: 0 };
        stream.frames++;
        stream.bytes += typeof entry.data === 'string' ? entry.data.length : entry.data.byteLength;
        streams.set(label, stream);
        if (parsed !== undefined) sequences.observe(parsed, entry.conn, entry.time);
      }
      options.onEntry?.(count);
    }
  } catch (error) {
    damage = error instanceof Error ? error.message : String(error);
  }
  return {
    file,
    header,
    entries: count,
    byKind,
    connections: connections.size,
    firstTime,
    lastTime,
    spanSeconds: firstTime === null || lastTime === null ? 0 : (lastTime - firstTime) / 1e6,
    streams: [...streams.entries()]
      .map(([stream, counts]) => ({ stream, ...counts }))
      .sort((a, b) => b.frames - a.frames || a.stream.localeCompare(b.stream)),
    silences,
    sequenceFramesChecked: sequences.checked,
    sequenceGaps: sequences.gaps,
    nonJsonFrames: nonJson,
    damage,
  };
}

function parseFrame(data: string | Uint8Array): unknown {
  if (typeof data !== 'string') return undefined;
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return undefined;
  }
}

/** The report as the terminal shows it. */
export function formatInspection(report: InspectionReport, maxStreams = 20): string {
  const lines: string[] = [];
  lines.push(report.file);
  if (report.header) {
    lines.push(
      `  format: ${report.header.format} v${report.header.version}, venue ${report.header.venue}, part ${report.header.part}, written by ${report.header.writer}`,
    );
  } else {
    lines.push('  format: cryptofeed NDJSON capture (../shared/recordings line format)');
  }
  const kinds = Object.entries(report.byKind)
    .map(([kind, n]) => `${kind} ${n}`)
    .join(', ');
  lines.push(`  entries: ${report.entries} (${kinds}); connections: ${report.connections}`);
  if (report.firstTime !== null && report.lastTime !== null) {
    lines.push(
      `  time: ${microsToIso(report.firstTime)} → ${microsToIso(report.lastTime)} (${report.spanSeconds.toFixed(3)} s)`,
    );
  }
  lines.push(`  streams (${report.streams.length}):`);
  for (const stream of report.streams.slice(0, maxStreams)) {
    lines.push(`    ${String(stream.frames).padStart(8)}  ${String(stream.bytes).padStart(10)} B  ${stream.stream}`);
  }
  if (report.streams.length > maxStreams) lines.push(`    ... ${report.streams.length - maxStreams} more`);
  const gaps = report.sequenceGaps;
  lines.push(
    `  sequence: ${report.sequenceFramesChecked} frames checked, ${gaps.length} gaps` + (gaps.length > 0 ? ':' : ''),
  );
  for (const gap of gaps.slice(0, 20)) {
    lines.push(`    ${gap.track}: expected ${gap.expected}, got ${gap.got} at ${microsToIso(gap.time)}`);
  }
  lines.push(`  silences: ${report.silences.length}`);
  for (const silence of report.silences.slice(0, 20)) {
    lines.push(`    conn ${silence.conn}: ${silence.seconds.toFixed(1)} s from ${microsToIso(silence.from)}`);
  }
  if (report.nonJsonFrames > 0) lines.push(`  non-JSON frames: ${report.nonJsonFrames}`);
  if (report.damage !== null) lines.push(`  DAMAGED: ${report.damage}`);
  return lines.join('\n');
}
