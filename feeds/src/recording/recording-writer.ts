import { mkdirSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { EpochMicros } from '../model/events';
import { encodeBlock } from './block-format';
import { encodeEntry, encodeHeader } from './entry-codec';
import {
  RECORDING_FORMAT,
  RECORDING_FORMAT_VERSION,
  type RecordingEntry,
  type RecordingHeader,
} from './recording-entry';

export const RECORDING_WRITER = 'tickwire/0.1.0';
export const RECORDING_EXTENSION = '.twrec.gz';

export interface RecordingWriterOptions {
  readonly directory: string;
  readonly venue: string;
  readonly streams: readonly string[];
  /** File names are `<prefix>-<start time>-<part>.twrec.gz`; default: the venue. */
  readonly filePrefix?: string;
  /** Pending lines are written as a block at least this often; a crash loses at most this much. */
  readonly flushIntervalMs?: number;
  /** A block is written early once this many bytes of lines are pending (bounds memory). */
  readonly maxBlockBytes?: number;
  /** Start a new file after this many bytes on disk ... */
  readonly rotateBytes?: number;
  /** ... or once entries are this far (in recording time) past the file's start. */
  readonly rotateIntervalMicros?: number;
  /** Called with a write error (disk full, ...); later writes are refused with the same error. */
  readonly onError?: (error: Error) => void;
}

export interface RecordingWriterStats {
  readonly entries: number;
  readonly blocks: number;
  readonly bytesWritten: number;
  readonly files: readonly string[];
}

const DEFAULTS = {
  flushIntervalMs: 1000,
  maxBlockBytes: 1 << 20,
  rotateBytes: 512 * (1 << 20),
  rotateIntervalMicros: 3600 * 1_000_000,
};

interface OpenFile {
  readonly path: string;
  readonly handle: FileHandle;
  readonly startTime: EpochMicros;
  bytes: number;
}

/**
 * Appends entries to blocked-gzip NDJSON files (see block-format.ts). Writes are queued in order
 * on one promise chain; `write` itself never blocks on the disk.
 */
export class RecordingWriter {
  private readonly options: Required<Omit<RecordingWriterOptions, 'onError' | 'filePrefix'>> &
    Pick<RecordingWriterOptions, 'onError'> & { filePrefix: string };
  private pending: string[] = [];
  private pendingBytes = 0;
  private pendingFirstTime = 0;
  private pendingLastTime = 0;
  private queue: Promise<void> = Promise.resolve();
  private file: OpenFile | undefined;
  private part = 0;
  private readonly timer: NodeJS.Timeout;
  private failure: Error | undefined;
  private closed = false;
  private entryCount = 0;
  private blockCount = 0;
  private byteCount = 0;
  private readonly paths: string[] = [];

  constructor(options: RecordingWriterOptions) {
    this.options = { ...DEFAULTS, ...options, filePrefix: options.filePrefix ?? options.venue };
    mkdirSync(options.directory, { recursive: true });
    this.timer = setInterval(() => {
      void this.flush().catch(() => undefined);
    }, this.options.flushIntervalMs);
    this.timer.unref();
  }

  get stats(): RecordingWriterStats {
    return {
      entries: this.entryCount,
      blocks: this.blockCount,
      bytesWritten: this.byteCount,
      files: [...this.paths],
    };
  }

  write(entry: RecordingEntry): void {
    if (this.failure) throw this.failure;
    if (this.closed) throw new Error('recording writer is closed');
    const line = `${encodeEntry(entry)}\n`;
    if (this.pending.length === 0) this.pendingFirstTime = entry.time;
    this.pendingLastTime = entry.time;
    this.pending.push(line);
    this.pendingBytes += line.length;
    this.entryCount++;
    if (this.pendingBytes >= this.options.maxBlockBytes) void this.flush().catch(() => undefined);
  }

  /** Writes what is pending as one block; resolves when it is on disk (in the OS's hands). */
  flush(): Promise<void> {
    if (this.pending.length > 0) {
      const lines = this.pending;
      const info = { entryCount: lines.length, firstTime: this.pendingFirstTime, lastTime: this.pendingLastTime };
      this.pending = [];
      this.pendingBytes = 0;
      this.queue = this.queue.then(() => this.writeBlock(lines.join(''), info));
    }
    return this.queue;
  }

  async close(): Promise<RecordingWriterStats> {
    if (this.closed) return this.stats;
    clearInterval(this.timer);
    await this.flush();
    this.closed = true;
    await this.queue;
    await this.file?.handle.close();
    this.file = undefined;
    return this.stats;
  }

  private async writeBlock(
    text: string,
    info: { entryCount: number; firstTime: EpochMicros; lastTime: EpochMicros },
  ): Promise<void> {
    if (this.failure) throw this.failure;
    try {
      const file = await this.fileFor(info.firstTime);
      const block = await encodeBlock(text, info);
      await file.handle.write(block, 0, block.length, null);
      file.bytes += block.length;
      this.blockCount++;
      this.byteCount += block.length;
    } catch (error) {
      this.failure = error instanceof Error ? error : new Error(String(error));
      this.options.onError?.(this.failure);
      throw this.failure;
    }
  }

  private async fileFor(time: EpochMicros): Promise<OpenFile> {
    const current = this.file;
    if (
      current &&
      current.bytes < this.options.rotateBytes &&
      time - current.startTime < this.options.rotateIntervalMicros
    ) {
      return current;
    }
    if (current) {
      await current.handle.close();
      this.part++;
    }
    const stamp = new Date(Math.floor(time / 1000)).toISOString().replace(/[:.]/g, '-');
    const path = join(this.options.directory, `${this.options.filePrefix}-${stamp}-${this.part}${RECORDING_EXTENSION}`);
    const handle = await open(path, 'wx');
    const header: RecordingHeader = {
      format: RECORDING_FORMAT,
      version: RECORDING_FORMAT_VERSION,
      venue: this.options.venue,
      streams: this.options.streams,
      startTime: time,
      writer: RECORDING_WRITER,
      part: this.part,
    };
    const headerBlock = await encodeBlock(`${encodeHeader(header)}\n`, {
      entryCount: 0,
      firstTime: time,
      lastTime: time,
    });
    await handle.write(headerBlock, 0, headerBlock.length, null);
    this.file = { path, handle, startTime: time, bytes: headerBlock.length };
    this.byteCount += headerBlock.length;
    this.paths.push(path);
    return this.file;
  }
}
