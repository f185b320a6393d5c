import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedRecording } from '../test-support/shared-recordings';
import { mergeByTime, readCryptofeedFile, readCryptofeedSession } from './cryptofeed-recording';
import type { RecordingEntry } from './recording-entry';
import { RecordingFormatError } from './recording-errors';

async function collect(source: AsyncIterable<RecordingEntry>): Promise<RecordingEntry[]> {
  const out: RecordingEntry[] = [];
  for await (const entry of source) out.push(entry);
  return out;
}

function countKinds(entries: RecordingEntry[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const entry of entries) counts[entry.kind] = (counts[entry.kind] ?? 0) + 1;
  return counts;
}

describe('cryptofeed recordings in ../shared/recordings', () => {
  it('merges the Binance spot WebSocket capture with its REST depth snapshots by time', async () => {
    const entries = await collect(
      readCryptofeedSession(
        sharedRecording('binance/binance-spot-ws.ndjson'),
        sharedRecording('binance/binance-spot-rest-depth.ndjson'),
      ),
    );
    // Counts from binance/SOURCE.md: 1 open + 265 recv, and 4 REST snapshots.
    expect(countKinds(entries)).toEqual({ open: 1, recv: 265, http: 4 });
    for (let i = 1; i < entries.length; i++) expect(entries[i]!.time).toBeGreaterThanOrEqual(entries[i - 1]!.time);
    const firstHttp = entries.findIndex((entry) => entry.kind === 'http');
    // The snapshot was fetched after the diffs had started: buffered diffs precede it.
    expect(firstHttp).toBeGreaterThan(1);
    const snapshot = entries[firstHttp] as Extract<RecordingEntry, { kind: 'http' }>;
    expect(snapshot.url).toContain('/api/v3/depth?symbol=');
    expect(JSON.parse(snapshot.body)).toHaveProperty('lastUpdateId');
  });

  it('keeps frame text byte for byte, including the sent subscribe of Kraken', async () => {
    const entries = await collect(readCryptofeedFile(sharedRecording('kraken/kraken-v1-book1000.ndjson')));
    expect(countKinds(entries)).toMatchObject({ open: 1, sent: 1, recv: 4321 });
    const sent = entries.find((entry) => entry.kind === 'sent');
    expect(sent?.kind === 'sent' && sent.data).toContain('"subscription":{"name":"book","depth":1000}');
    // Big-integer connectionID survives because frames stay text.
    const status = entries.find((entry) => entry.kind === 'recv' && String(entry.data).includes('systemStatus'));
    expect(status?.kind === 'recv' && status.data).toContain('"connectionID":17843232920108168701');
  });

  it.each([
    ['binance/binance-usdm-futures-ws.ndjson', 1535],
    ['okx/okx-v5-public.ndjson', 410],
    ['coinbase/coinbase-exchange-ws.ndjson', 9946],
    ['bitfinex/bitfinex-v2-ws.ndjson', 1693],
  ])('reads every frame of %s', async (file, receivedFrames) => {
    const entries = await collect(readCryptofeedFile(sharedRecording(file)));
    expect(countKinds(entries)['recv']).toBe(receivedFrames);
    expect(entries.every((entry) => Number.isSafeInteger(entry.time))).toBe(true);
  });

  it('names the line of a malformed capture', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'tw-cf-'));
    try {
      const path = join(directory, 'bad.ndjson');
      writeFileSync(path, '{"ts":1,"dir":"open","url":"wss://x"}\n{"ts":2,"dir":"recv"}\n');
      await expect(collect(readCryptofeedFile(path))).rejects.toThrow(RecordingFormatError);
      await expect(collect(readCryptofeedFile(path))).rejects.toThrow(/line 2: "recv" without "frame"/);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('merges by time with ties in source order', async () => {
    async function* source(times: number[], url: string): AsyncGenerator<RecordingEntry> {
      for (const time of times) yield { kind: 'http', time, url, status: 200, body: '' };
      await Promise.resolve();
    }
    const merged = await collect(mergeByTime([source([1, 3, 3, 7], 'a'), source([2, 3, 8], 'b')]));
    expect(merged.map((entry) => `${entry.time}${entry.kind === 'http' ? entry.url : ''}`)).toEqual([
      '1a',
      '2b',
      '3a',
      '3a',
      '3b',
      '7a',
      '8b',
    ]);
  });
});
