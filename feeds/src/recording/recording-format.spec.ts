import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeBlock } from './block-format';
import type { RecordingEntry } from './recording-entry';
import { RecordingDamagedError, RecordingFormatError } from './recording-errors';
import { RecordingReader } from './recording-reader';
import { RecordingWriter } from './recording-writer';

const T0 = 1_700_000_000_000_000;

function sampleEntries(count: number): RecordingEntry[] {
  const entries: RecordingEntry[] = [{ kind: 'open', time: T0, conn: 1, url: 'wss://venue.example/ws' }];
  entries.push({ kind: 'sent', time: T0 + 1, conn: 1, data: '{"op":"subscribe","args":["trades"]}' });
  entries.push({ kind: 'http', time: T0 + 2, url: 'https://venue.example/depth', status: 200, body: '{"bids":[]}' });
  for (let i = 0; i < count; i++) {
    entries.push({ kind: 'recv', time: T0 + 1000 + i * 1000, conn: 1, data: `{"seq":${i},"p":"0.00001234"}` });
  }
  entries.push({ kind: 'recv', time: T0 + 1000 + count * 1000, conn: 1, data: new Uint8Array([0, 1, 2, 255, 10, 13]) });
  entries.push({ kind: 'close', time: T0 + 2000 + count * 1000, conn: 1, code: 1006, reason: 'dropped' });
  return entries;
}

async function readAll(path: string, range = {}): Promise<RecordingEntry[]> {
  const reader = await RecordingReader.open(path);
  const out: RecordingEntry[] = [];
  for await (const entry of reader.entries(range)) out.push(entry);
  return out;
}

async function writeAll(directory: string, entries: RecordingEntry[], options = {}): Promise<string[]> {
  const writer = new RecordingWriter({ directory, venue: 'binance', streams: ['btcusdt@trade'], ...options });
  for (const [index, entry] of entries.entries()) {
    writer.write(entry);
    // Several blocks per file, so seeking has headers to hop over.
    if (index % 50 === 49) await writer.flush();
  }
  const stats = await writer.close();
  expect(stats.entries).toBe(entries.length);
  return [...stats.files];
}

describe('recording format', () => {
  let directory: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'tw-rec-'));
  });
  afterEach(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it('round-trips every entry kind, text and binary frames, exactly', async () => {
    const entries = sampleEntries(500);
    const [file] = await writeAll(directory, entries);
    const reader = await RecordingReader.open(file!);
    expect(reader.header).toMatchObject({
      format: 'tickwire-recording',
      version: 1,
      venue: 'binance',
      streams: ['btcusdt@trade'],
      startTime: T0,
      part: 0,
    });
    expect(reader.header.writer).toMatch(/^tickwire\//);
    expect(await readAll(file!)).toEqual(entries);
  });

  it('is plain gzip NDJSON to standard tools: header line first, one entry per line', async () => {
    const [file] = await writeAll(directory, sampleEntries(20));
    const lines = gunzipSync(readFileSync(file!)).toString('utf8').trimEnd().split('\n');
    expect(JSON.parse(lines[0]!)).toMatchObject({ format: 'tickwire-recording', venue: 'binance' });
    expect(JSON.parse(lines[1]!)).toEqual({ t: T0, k: 'open', c: 1, u: 'wss://venue.example/ws' });
    expect(lines).toHaveLength(1 + 20 + 5);
  });

  it('seeks to a time range by hopping block headers, never inflating the blocks before it', async () => {
    const entries = sampleEntries(1000);
    const [file] = await writeAll(directory, entries);
    const reader = await RecordingReader.open(file!);
    const blocks = [];
    for await (const block of reader.blocks()) blocks.push(block);
    expect(blocks.length).toBeGreaterThan(10);

    // Corrupt the compressed body of the second data block: a read that starts after it must not notice.
    const bytes = readFileSync(file!);
    const damaged = blocks[1]!;
    bytes[damaged.offset + 60] = bytes[damaged.offset + 60]! ^ 0xff;
    writeFileSync(file!, bytes);

    const from = T0 + 1000 + 700 * 1000;
    const to = T0 + 1000 + 709 * 1000;
    const range = await readAll(file!, { from, to });
    expect(range.map((entry) => entry.time)).toEqual(
      entries.filter((e) => e.time >= from && e.time <= to).map((e) => e.time),
    );
    await expect(readAll(file!)).rejects.toThrow(RecordingDamagedError);
  });

  it('rotates by size and by recording time, each file with its own header', async () => {
    const bySize = await writeAll(join(directory, 'size'), sampleEntries(1000), { rotateBytes: 2000 });
    expect(bySize.length).toBeGreaterThan(2);
    const parts = await Promise.all(bySize.map(async (file) => (await RecordingReader.open(file)).header.part));
    expect(parts).toEqual(bySize.map((_, index) => index));
    const reassembled = (await Promise.all(bySize.map((file) => readAll(file)))).flat();
    expect(reassembled).toEqual(sampleEntries(1000));

    const byTime = await writeAll(join(directory, 'time'), sampleEntries(1000), { rotateIntervalMicros: 200_000 });
    expect(byTime.length).toBeGreaterThanOrEqual(5);
    for (const file of byTime) {
      const reader = await RecordingReader.open(file);
      const times = (await readAll(file)).map((entry) => entry.time);
      expect(Math.min(...times)).toBeGreaterThanOrEqual(reader.header.startTime);
    }
  });

  it('reads a truncated file up to the damage, then says where and how many entries it delivered', async () => {
    const entries = sampleEntries(300);
    const [file] = await writeAll(directory, entries);
    const bytes = readFileSync(file!);
    writeFileSync(file!, bytes.subarray(0, bytes.length - 25));
    const reader = await RecordingReader.open(file!);
    const delivered: RecordingEntry[] = [];
    const error = await (async () => {
      try {
        for await (const entry of reader.entries()) delivered.push(entry);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(RecordingDamagedError);
    expect((error as RecordingDamagedError).kind).toBe('truncated');
    expect((error as RecordingDamagedError).entriesRead).toBe(delivered.length);
    expect((error as Error).message).toMatch(/truncated at byte \d+ after \d+ entries/);
    expect(delivered.length).toBeGreaterThan(200);
    expect(delivered).toEqual(entries.slice(0, delivered.length));
  });

  it('reports a corrupt block (CRC) without delivering any of its lines', async () => {
    const entries = sampleEntries(300);
    const [file] = await writeAll(directory, entries);
    const reader = await RecordingReader.open(file!);
    const blocks = [];
    for await (const block of reader.blocks()) blocks.push(block);
    const target = blocks[3]!;
    const bytes = readFileSync(file!);
    bytes[target.offset + target.info.size - 8] = bytes[target.offset + target.info.size - 8]! ^ 0x01; // CRC byte
    writeFileSync(file!, bytes);
    const delivered: RecordingEntry[] = [];
    await expect(
      (async () => {
        for await (const entry of (await RecordingReader.open(file!)).entries()) delivered.push(entry);
      })(),
    ).rejects.toThrow(/corrupt at byte \d+ .*CRC32 mismatch/);
    const before = blocks.slice(0, 3).reduce((sum, block) => sum + block.info.entryCount, 0);
    expect(delivered).toEqual(entries.slice(0, before));
  });

  it('rejects files that are not recordings, and malformed lines, with clear errors', async () => {
    const notGzip = join(directory, 'plain.twrec.gz');
    writeFileSync(notGzip, '{"hello":1}\n'.repeat(10));
    await expect(RecordingReader.open(notGzip)).rejects.toThrow(/corrupt at byte 0 .*not a gzip member/);

    // A well-formed block whose line is not an entry: a format error that names file, block and line.
    const [file] = await writeAll(directory, sampleEntries(1));
    const badBlock = await encodeBlock('{"t":1,"k":"teleport"}\n', { entryCount: 1, firstTime: 1, lastTime: 1 });
    writeFileSync(file!, Buffer.concat([readFileSync(file!), badBlock]));
    await expect(readAll(file!)).rejects.toThrow(RecordingFormatError);
    await expect(readAll(file!)).rejects.toThrow(/block@\d+ line 1: unknown entry kind "teleport"/);
  });

  it('loses at most the last flush interval when the writer is killed (SIGKILL)', async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(__dirname, 'test-support/crash-writer.ts'), directory],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let lastFlushed = 0;
    await new Promise<void>((resolve, reject) => {
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => {
        for (const match of chunk.matchAll(/flushed (\d+)/g)) lastFlushed = Number(match[1]);
        if (lastFlushed >= 5000) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('error', reject);
      child.on('exit', (code, signal) => {
        if (signal !== 'SIGKILL') reject(new Error(`writer exited early: ${String(code)}`));
      });
    });
    await new Promise((resolve) => child.on('close', resolve));
    const [file] = readdirSync(directory).filter((name) => name.endsWith('.twrec.gz'));
    const delivered: RecordingEntry[] = [];
    try {
      for await (const entry of (await RecordingReader.open(join(directory, file!))).entries()) delivered.push(entry);
    } catch (error) {
      // Killed mid-block: only that block is lost, and it is reported as truncation.
      expect(error).toBeInstanceOf(RecordingDamagedError);
      expect((error as RecordingDamagedError).kind).toBe('truncated');
    }
    expect(delivered.length).toBeGreaterThanOrEqual(lastFlushed);
    delivered.forEach((entry, index) => {
      expect(entry).toEqual({ kind: 'recv', time: T0 + index, conn: 1, data: `{"n":${index}}` });
    });
  }, 30_000);
});
