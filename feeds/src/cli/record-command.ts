import { RecordingWriter } from '../recording/recording-writer';
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
}

/** `tickwire record`: a venue WebSocket (live, or the virtual exchange) into rotating recording files. */
export async function recordCommand(options: RecordCommandOptions): Promise<number> {
  const writer = new RecordingWriter({
    directory: options.out,
    venue: options.venue,
    streams: options.streams,
    rotateBytes: options.rotateMegabytes * (1 << 20),
    rotateIntervalMicros: options.rotateMinutes * 60 * 1_000_000,
    onError: (error) => {
      process.stderr.write(`tickwire record: writing failed: ${error.message}\n`);
      session.stop();
    },
  });
  const session = new RecordSession({
    url: options.url,
    send: options.send,
    http: options.http,
    writer,
    durationMs: options.durationSeconds === undefined ? undefined : options.durationSeconds * 1000,
    log: (line) => process.stderr.write(`tickwire record: ${line}\n`),
  });
  const stop = (): void => {
    session.stop();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const progress = setInterval(() => {
    const stats = writer.stats;
    process.stderr.write(`tickwire record: ${stats.entries} entries, ${stats.bytesWritten} bytes on disk\n`);
  }, 10_000);
  progress.unref();
  try {
    const result = await session.run();
    const stats = await writer.close();
    process.stdout.write(
      `recorded ${stats.entries} entries (${result.framesReceived} frames, ${result.httpResponses} REST responses, ` +
        `${result.connections} connections) into ${stats.files.join(', ')}\n`,
    );
    return 0;
  } finally {
    clearInterval(progress);
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
