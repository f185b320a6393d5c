import { Presets, SingleBar } from 'cli-progress';

/** What `tickwire record` reports while it runs. */
export interface RecordProgressState {
  /** Entries written so far (frames, opens, closes, REST responses). */
  readonly entries: number;
  readonly bytesWritten: number;
  /** Since the recording started. */
  readonly elapsedMs: number;
}

export interface RecordProgress {
  update(state: RecordProgressState): void;
  /** A log line (connections, errors) that must not garble the bar. */
  log(line: string): void;
  stop(): void;
}

export interface RecordProgressOptions {
  /** The planned length of the run; undefined: until stopped (no percentage, no ETA). */
  readonly durationMs: number | undefined;
  readonly stream?: Pick<NodeJS.WriteStream, 'write' | 'isTTY'>;
  /** Least time between two plain log lines (default 10 s). */
  readonly logIntervalMs?: number;
  /** Monotonic ms; injectable for tests. */
  readonly clock?: () => number;
}

const LABEL = 'tickwire record';

/**
 * A progress bar (cli-progress, as `tickwire replay` shows) on an interactive terminal: seconds
 * recorded of the planned duration, entries and bytes on disk, time left. Anywhere else (a pipe,
 * CI logs) plain log lines, at most one per `logIntervalMs`, and a last one on stop.
 */
export function createRecordProgress(options: RecordProgressOptions): RecordProgress {
  const stream = options.stream ?? process.stderr;
  return stream.isTTY ? terminalBar(stream as NodeJS.WriteStream, options.durationMs) : logLines(stream, options);
}

function terminalBar(stream: NodeJS.WriteStream, durationMs: number | undefined): RecordProgress {
  const timed = durationMs !== undefined;
  const format = timed
    ? `${LABEL} [{bar}] {percentage}% | {value}/{total} s | {entries} entries, {size} | {eta_formatted} left`
    : `${LABEL} {value} s | {entries} entries, {size}`;
  const bar = new SingleBar({ format, stream, hideCursor: true }, Presets.shades_classic);
  bar.start(timed ? Math.ceil(durationMs / 1000) : 0, 0, { entries: 0, size: formatBytes(0) });
  return {
    update: (state) => {
      bar.update(Math.floor(state.elapsedMs / 1000), { entries: state.entries, size: formatBytes(state.bytesWritten) });
    },
    log: (line) => {
      // Over the bar's line; the bar is drawn again below it on the next update.
      stream.write(`\r\x1B[K${LABEL}: ${line}\n`);
    },
    stop: () => {
      bar.stop();
    },
  };
}

function logLines(stream: Pick<NodeJS.WriteStream, 'write'>, options: RecordProgressOptions): RecordProgress {
  const clock = options.clock ?? (() => performance.now());
  const interval = options.logIntervalMs ?? 10_000;
  let lastLine = clock();
  let latest: RecordProgressState = { entries: 0, bytesWritten: 0, elapsedMs: 0 };
  const line = (state: RecordProgressState, suffix = ''): string => {
    const seconds = Math.floor(state.elapsedMs / 1000);
    const of = options.durationMs === undefined ? '' : ` of ${Math.ceil(options.durationMs / 1000)}`;
    return `${LABEL}: ${seconds}${of} s, ${state.entries} entries, ${formatBytes(state.bytesWritten)} on disk${suffix}\n`;
  };
  return {
    update: (state) => {
      latest = state;
      const now = clock();
      if (now - lastLine < interval) return;
      lastLine = now;
      stream.write(line(state));
    },
    log: (text) => {
      stream.write(`${LABEL}: ${text}\n`);
    },
    stop: () => {
      stream.write(line(latest, ', done'));
    },
  };
}

/** 1536 → "1.5 KiB": binary units, one decimal. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(1)} ${units[unit] ?? ''}`;
}
