import { RecordingReader } from '../recording/recording-reader';
import type { RecordingEntry } from '../recording/recording-entry';
import { RECORDING_EXTENSION } from '../recording/recording-writer';
import { openRecordingEntries } from '../replay/open-recording';
import type { Speed } from '../virtual-exchange/timeline';
import { createVirtualExchange } from '../virtual-exchange/exchange';
import { recordingFrameSource } from '../virtual-exchange/recording-source';
import { createProgress } from './progress';
import { DIALECTS, venueOfUrl } from './venue-dialects';

export interface ReplayCommandOptions {
  readonly venue?: string;
  readonly speed: Speed;
  readonly from?: number;
  readonly to?: number;
  readonly host: string;
  readonly port: number;
  /** Start when the first client connects (default) or at once. */
  readonly startOnConnect: boolean;
}

/**
 * `tickwire replay FILE`: serves a recording through the virtual exchange in the venue's own
 * protocol, so any client of that venue (Tickwire's adapters included) can connect to it.
 */
export async function replayCommand(file: string, options: ReplayCommandOptions): Promise<number> {
  const venue = options.venue ?? (await detectVenue(file));
  const makeDialect = venue === undefined ? undefined : DIALECTS[venue];
  if (venue === undefined || makeDialect === undefined) {
    process.stderr.write(
      `tickwire replay: cannot tell the venue of ${file}${venue === undefined ? '' : ` (${venue})`}; pass --venue ${Object.keys(DIALECTS).join('|')}\n`,
    );
    return 2;
  }
  const dialect = makeDialect();
  const range = {
    ...(options.from === undefined ? {} : { from: options.from }),
    ...(options.to === undefined ? {} : { to: options.to }),
  };
  const source = await recordingFrameSource(dialect, await openRecordingEntries(file, range));
  const exchange = await createVirtualExchange({
    dialect,
    source,
    host: options.host,
    port: options.port,
    speed: options.speed,
    startOn: options.startOnConnect ? 'connection' : 'manual',
  });
  process.stdout.write(
    `replaying ${file} as ${venue}: ${source.frameCount} frames on ${source.streams.length} streams at speed ${String(options.speed)}\n` +
      `  WebSocket: ${exchange.url('/')}\n  REST:      ${exchange.httpUrl('/')}\n` +
      (options.startOnConnect ? '  starts when the first client connects; Ctrl-C stops\n' : ''),
  );
  if (!options.startOnConnect) exchange.start();
  const progress = createProgress(`replay ${venue}`, source.frameCount);
  const ticker = setInterval(() => {
    progress.update(exchange.stats().framesPublished);
  }, 250);
  const stop = (): void => {
    void exchange.close();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    await exchange.finished;
    progress.update(exchange.stats().framesPublished);
    return 0;
  } catch (error) {
    process.stderr.write(`tickwire replay: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    clearInterval(ticker);
    progress.stop();
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await exchange.close();
  }
}

async function detectVenue(file: string): Promise<string | undefined> {
  if (file.endsWith(RECORDING_EXTENSION)) return (await RecordingReader.open(file)).header.venue;
  for await (const entry of await openRecordingEntries(file)) {
    if (entry.kind === 'open') return venueOfUrl(entry.url);
    if (isFrame(entry)) break;
  }
  return undefined;
}

function isFrame(entry: RecordingEntry): boolean {
  return entry.kind === 'recv' || entry.kind === 'sent';
}
