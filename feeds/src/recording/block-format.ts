import { constants, crc32, deflateRaw, inflateRawSync } from 'node:zlib';
import { promisify } from 'node:util';

/*
 * A recording file is a series of gzip members ("blocks"), in the manner of BGZF (the blocked
 * gzip of the SAM/BAM specification): `zcat` reads it as one NDJSON text, yet every block says in
 * its gzip header (an FEXTRA subfield, RFC 1952 §2.3.1.1) how long it is and which receive times
 * it covers. So a reader can
 *   - seek to a time by hopping from header to header without inflating anything,
 *   - inflate and CRC-check one block at a time (bounded memory, no unverified text delivered),
 *   - tell a truncated last block (writer killed) from a corrupt one, and stop exactly there.
 * Each block holds whole lines only.
 */

const GZIP_ID1 = 0x1f;
const GZIP_ID2 = 0x8b;
const GZIP_DEFLATE = 8;
const GZIP_FLAG_EXTRA = 4;
const GZIP_OS_UNKNOWN = 255;
const SUBFIELD_ID1 = 0x54; // 'T'
const SUBFIELD_ID2 = 0x57; // 'W'
/** blockSize u32, entryCount u32, firstTime i64, lastTime i64. */
const SUBFIELD_PAYLOAD = 24;
const EXTRA_LENGTH = 4 + SUBFIELD_PAYLOAD;
/** Fixed header (10) + XLEN (2) + the subfield. */
export const BLOCK_HEADER_SIZE = 12 + EXTRA_LENGTH;
const BLOCK_TRAILER_SIZE = 8;

export interface BlockInfo {
  /** Total bytes of the block: header, compressed data and trailer. */
  readonly size: number;
  readonly entryCount: number;
  readonly firstTime: number;
  readonly lastTime: number;
}

const deflateRawAsync = promisify(deflateRaw);

/** Compresses whole lines into one block (on libuv's thread pool, off the event loop). */
export async function encodeBlock(text: string, info: Omit<BlockInfo, 'size'>): Promise<Buffer> {
  const data = Buffer.from(text, 'utf8');
  const compressed = await deflateRawAsync(data, { level: constants.Z_DEFAULT_COMPRESSION });
  const size = BLOCK_HEADER_SIZE + compressed.length + BLOCK_TRAILER_SIZE;
  const block = Buffer.allocUnsafe(size);
  block[0] = GZIP_ID1;
  block[1] = GZIP_ID2;
  block[2] = GZIP_DEFLATE;
  block[3] = GZIP_FLAG_EXTRA;
  block.writeUInt32LE(0, 4); // MTIME: none, so the same input gives the same bytes
  block[8] = 0; // XFL
  block[9] = GZIP_OS_UNKNOWN;
  block.writeUInt16LE(EXTRA_LENGTH, 10);
  block[12] = SUBFIELD_ID1;
  block[13] = SUBFIELD_ID2;
  block.writeUInt16LE(SUBFIELD_PAYLOAD, 14);
  block.writeUInt32LE(size, 16);
  block.writeUInt32LE(info.entryCount, 20);
  block.writeBigInt64LE(BigInt(info.firstTime), 24);
  block.writeBigInt64LE(BigInt(info.lastTime), 32);
  compressed.copy(block, BLOCK_HEADER_SIZE);
  block.writeUInt32LE(crc32(data), size - 8);
  block.writeUInt32LE(data.length >>> 0, size - 4);
  return block;
}

/** Reads a block header; throws a message saying what is wrong when it is not one of ours. */
export function readBlockHeader(header: Buffer): BlockInfo {
  if (header.length < BLOCK_HEADER_SIZE) throw new Error('incomplete block header');
  if (header[0] !== GZIP_ID1 || header[1] !== GZIP_ID2 || header[2] !== GZIP_DEFLATE) {
    throw new Error('not a gzip member');
  }
  if (
    header[3] !== GZIP_FLAG_EXTRA ||
    header.readUInt16LE(10) !== EXTRA_LENGTH ||
    header[12] !== SUBFIELD_ID1 ||
    header[13] !== SUBFIELD_ID2 ||
    header.readUInt16LE(14) !== SUBFIELD_PAYLOAD
  ) {
    throw new Error('gzip member without the Tickwire block subfield');
  }
  const size = header.readUInt32LE(16);
  if (size < BLOCK_HEADER_SIZE + BLOCK_TRAILER_SIZE) throw new Error(`impossible block size ${size}`);
  return {
    size,
    entryCount: header.readUInt32LE(20),
    firstTime: Number(header.readBigInt64LE(24)),
    lastTime: Number(header.readBigInt64LE(32)),
  };
}

/** Inflates a whole block and checks its CRC and length; throws on any mismatch. */
export function decodeBlock(block: Buffer): string {
  const info = readBlockHeader(block);
  if (block.length !== info.size) throw new Error(`block is ${block.length} bytes, header says ${info.size}`);
  const data = inflateRawSync(block.subarray(BLOCK_HEADER_SIZE, info.size - BLOCK_TRAILER_SIZE));
  if (crc32(data) !== block.readUInt32LE(info.size - 8)) throw new Error('CRC32 mismatch');
  if (data.length >>> 0 !== block.readUInt32LE(info.size - 4)) throw new Error('length mismatch');
  return data.toString('utf8');
}
