import { RecordingWriter } from '../recording/recording-writer';
import { createRecordProgress } from './record-progress';
import { RecordSession } from './record-session';

export interface RecordCommandOptions {
  readonly venue: string;
  readonly url: string;
  readonly send: readonly string[];
  readonly http: readonly string[];
  readonly out: string;
  readonly streams: readonly string[];
  readonly durationSeconds?: number;
  readonly rotateMegabytes: number;
  readonly rotateMinutes: number;
  /** Where the summary and the progress go (default process.stdout / process.stderr). */
  readonly stdout?: Pick<NodeJS.WriteStream, 'write'>;
  readonly stderr?: Pick<NodeJS.WriteStream, 'write' | 'isTTY'>;
}

/** How often the progress is refreshed; plain log lines are throttled further (record-progress.ts). */
const PROGRESS_TICK_MS = 1000;

/** `tickwire record`: a venue WebSocket (live, or the virtual exchange) into rotating recording files. */
export async function recordCommand(options: RecordCommandOptions): Promise<number> {
  const stdout = options.stdout ?? process.stdout;
  const durationMs = options.durationSeconds === undefined ? undefined : options.durationSeconds * 1000;
  const progress = createRecordProgress({ durationMs, stream: options.stderr ?? process.stderr });
  const writer = new RecordingWriter({
    directory: options.out,
    venue: options.venue,
    streams: options.streams,
    rotateBytes: options.rotateMegabytes * (1 << 20),
    rotateIntervalMicros: options.rotateMinutes * 60 * 1_000_000,
    onError: (error) => {
      progress.log(`writing failed: ${error.message}`);
      session.stop();
    },
  });
  const session = new RecordSession({
    url: options.url,
    send: options.send,
    http: options.http,
    writer,
    durationMs,
    log: (line) => {
      progress.log(line);
    },
  });
  const stop = (): void => {
    session.stop();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const started = performance.now();
  const report = (): void => {
    const { entries, bytesWritten } = writer.stats;
    progress.update({ entries, bytesWritten, elapsedMs: performance.now() - started });
  };
  const ticker = setInterval(report, PROGRESS_TICK_MS);
  ticker.unref();
  let progressShown = true;
  const endProgress = (): void => {
    if (!progressShown) return;
    progressShown = false;
    clearInterval(ticker);
    report();
    progress.stop();
  };
  try {
    const result = await session.run();
    const stats = await writer.close();
    endProgress();
    stdout.write(
      `recorded ${stats.entries} entries (${result.framesReceived} frames, ${result.httpResponses} REST responses, ` +
        `${result.connections} connections) into ${stats.files.join(', ')}\n`,
    );
    return 0;
  } finally {
    endProgress();
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
