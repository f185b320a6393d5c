import { open, type FileHandle } from 'node:fs/promises';
import type { EpochMicros } from '../model/events';
import { BLOCK_HEADER_SIZE, type BlockInfo, decodeBlock, readBlockHeader } from './block-format';
import { decodeEntry, decodeHeader } from './entry-codec';
import type { RecordingEntry, RecordingHeader } from './recording-entry';
import { RecordingDamagedError } from './recording-errors';

export interface RecordingRange {
  /** First receive time to deliver (inclusive). */
  readonly from?: EpochMicros;
  /** Last receive time to deliver (inclusive). */
  readonly to?: EpochMicros;
}

export interface BlockLocation {
  readonly offset: number;
  readonly info: BlockInfo;
}

/**
 * Reads a recording block by block: memory is bounded by one block, every block is CRC-checked
 * before any of its lines is delivered, and a time range is reached by hopping over block headers
 * without inflating the blocks before it.
 */
export class RecordingReader {
  private constructor(
    readonly path: string,
    readonly header: RecordingHeader,
    private readonly fileSize: number,
    private readonly firstBlockOffset: number,
  ) {}

  static async open(path: string): Promise<RecordingReader> {
    const handle = await open(path, 'r');
    try {
      const { size } = await handle.stat();
      const first = await readBlockAt(handle, path, 0, size, 0);
      const text = decodeOrThrow(first.bytes, path, 0, 0);
      const header = decodeHeader(text.slice(0, text.indexOf('\n')), `${path} header`);
      return new RecordingReader(path, header, size, first.info.size);
    } finally {
      await handle.close();
    }
  }

  /** Block headers only, nothing inflated: for seeking and `tickwire inspect`. */
  async *blocks(): AsyncGenerator<BlockLocation> {
    const handle = await open(this.path, 'r');
    try {
      let offset = this.firstBlockOffset;
      const headerBytes = Buffer.alloc(BLOCK_HEADER_SIZE);
      while (offset < this.fileSize) {
        const info = await readHeaderAt(handle, this.path, offset, this.fileSize, headerBytes, 0);
        yield { offset, info };
        offset += info.size;
      }
    } finally {
      await handle.close();
    }
  }

  /**
   * Entries in file order within [from, to]. Throws RecordingDamagedError at the first damaged
   * block, after delivering every entry before it.
   */
  async *entries(range: RecordingRange = {}): AsyncGenerator<RecordingEntry> {
    const from = range.from ?? Number.NEGATIVE_INFINITY;
    const to = range.to ?? Number.POSITIVE_INFINITY;
    const handle = await open(this.path, 'r');
    let delivered = 0;
    try {
      let offset = this.firstBlockOffset;
      const headerBytes = Buffer.alloc(BLOCK_HEADER_SIZE);
      while (offset < this.fileSize) {
        const info = await readHeaderAt(handle, this.path, offset, this.fileSize, headerBytes, delivered);
        if (info.firstTime > to) return;
        if (info.lastTime >= from) {
          const bytes = Buffer.alloc(info.size);
          await handle.read(bytes, 0, info.size, offset);
          const text = decodeOrThrow(bytes, this.path, offset, delivered);
          let lineStart = 0;
          let lineNumber = 0;
          while (lineStart < text.length) {
            const lineEnd = text.indexOf('\n', lineStart);
            const end = lineEnd === -1 ? text.length : lineEnd;
            lineNumber++;
            const entry = decodeEntry(text.slice(lineStart, end), `${this.path} block@${offset} line ${lineNumber}`);
            lineStart = end + 1;
            if (entry.time < from || entry.time > to) continue;
            delivered++;
            yield entry;
          }
        }
        offset += info.size;
      }
    } finally {
      await handle.close();
    }
  }
}

async function readHeaderAt(
  handle: FileHandle,
  path: string,
  offset: number,
  fileSize: number,
  into: Buffer,
  delivered: number,
): Promise<BlockInfo> {
  const available = Math.min(BLOCK_HEADER_SIZE, fileSize - offset);
  await handle.read(into, 0, available, offset);
  if (available < BLOCK_HEADER_SIZE) {
    // Not even a whole header left: truncation if what is there starts like a block, else garbage.
    const looksLikeBlock = available < 2 || (into[0] === 0x1f && into[1] === 0x8b);
    throw new RecordingDamagedError(
      path,
      looksLikeBlock ? 'truncated' : 'corrupt',
      offset,
      delivered,
      looksLikeBlock ? 'file ends inside a block header' : 'not a gzip member',
    );
  }
  let info: BlockInfo;
  try {
    info = readBlockHeader(into);
  } catch (error) {
    throw new RecordingDamagedError(path, 'corrupt', offset, delivered, (error as Error).message);
  }
  if (offset + info.size > fileSize) {
    throw new RecordingDamagedError(
      path,
      'truncated',
      offset,
      delivered,
      `block of ${info.size} bytes but only ${fileSize - offset} remain (writer stopped mid-block?)`,
    );
  }
  return info;
}

async function readBlockAt(
  handle: FileHandle,
  path: string,
  offset: number,
  fileSize: number,
  delivered: number,
): Promise<{ info: BlockInfo; bytes: Buffer }> {
  const info = await readHeaderAt(handle, path, offset, fileSize, Buffer.alloc(BLOCK_HEADER_SIZE), delivered);
  const bytes = Buffer.alloc(info.size);
  await handle.read(bytes, 0, info.size, offset);
  return { info, bytes };
}

function decodeOrThrow(bytes: Buffer, path: string, offset: number, delivered: number): string {
  try {
    return decodeBlock(bytes);
  } catch (error) {
    throw new RecordingDamagedError(path, 'corrupt', offset, delivered, (error as Error).message);
  }
}
