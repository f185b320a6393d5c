import { describe, expect, it } from 'vitest';
import type { MarketEvent } from '../../model/events';
import type { FrameEntry, RecordingEntry } from '../../recording/recording-entry';
import { classifyUpdate } from './okx-sequence';
import { isBooksOf, RECORDED_INST_IDS, recordedEntries, replay, rewriteFrames } from './test-support/okx-recording';

describe('classifyUpdate (OKX "Sequence ID" rules)', () => {
  it('follows the documented example: snapshot, update, keep-alive, reset, update', () => {
    // Snapshot prevSeqId = -1, seqId = 10; then 10→15, 15→15 (no update), 15→3 (reset), 3→5.
    expect(classifyUpdate(10, 10, 15, true)).toBe('next');
    expect(classifyUpdate(15, 15, 15, false)).toBe('heartbeat');
    expect(classifyUpdate(15, 15, 3, true)).toBe('next');
    expect(classifyUpdate(3, 3, 5, true)).toBe('next');
  });

  it('ignores duplicates and older updates, and calls anything else a gap', () => {
    expect(classifyUpdate(15, 10, 15, true)).toBe('stale');
    expect(classifyUpdate(15, 4, 10, true)).toBe('stale');
    expect(classifyUpdate(15, 16, 20, true)).toBe('gap');
    expect(classifyUpdate(15, 12, 20, true)).toBe('gap');
    // Same seqId as prevSeqId but with levels is not a keep-alive: apply it.
    expect(classifyUpdate(15, 15, 15, true)).toBe('next');
  });

  it('leaves frames without sequence fields to the checksum', () => {
    expect(classifyUpdate(undefined, undefined, undefined, true)).toBe('unchecked');
    expect(classifyUpdate(10, undefined, undefined, true)).toBe('unchecked');
  });
});

interface Sequenced {
  readonly entries: RecordingEntry[];
  /** The books frames of each instId in order, with their injected [prevSeqId, seqId]. */
  readonly books: Map<string, { entry: FrameEntry; prevSeqId: number; seqId: number }[]>;
}

/**
 * The real capture with the seqId/prevSeqId fields OKX added after it was recorded: each instId
 * chains from its snapshot (prevSeqId -1) in uneven steps, as live ids do. With `zeroChecksums`
 * the frames look like today's, where OKX sends checksum 0 and only the sequence guards the book.
 */
async function sequenced(zeroChecksums: boolean): Promise<Sequenced> {
  const books = new Map<string, { entry: FrameEntry; prevSeqId: number; seqId: number }[]>();
  const last = new Map<string, number>();
  const entries = (await recordedEntries()).map((entry): RecordingEntry => {
    if (entry.kind !== 'recv' || typeof entry.data !== 'string') return entry;
    const text = entry.data;
    const instId = RECORDED_INST_IDS.find((id) => isBooksOf(id)(text));
    if (instId === undefined) return entry;
    const snapshot = text.includes('"action":"snapshot"');
    const previous = last.get(instId) ?? 1000;
    const seqId = snapshot ? previous : previous + 1 + ((previous * 7) % 40);
    const prevSeqId = snapshot ? -1 : previous;
    last.set(instId, seqId);
    const data = text.replace(
      /,"checksum":(-?\d+)\}\]\}$/,
      (_, checksum: string) =>
        `,"checksum":${zeroChecksums ? '0' : checksum},"prevSeqId":${prevSeqId},"seqId":${seqId}}]}`,
    );
    expect(data).not.toBe(text);
    const sequencedEntry: FrameEntry = { ...entry, data };
    const list = books.get(instId) ?? [];
    list.push({ entry: sequencedEntry, prevSeqId, seqId });
    books.set(instId, list);
    return sequencedEntry;
  });
  return { entries, books };
}

function resyncs(events: readonly MarketEvent[]): MarketEvent[] {
  return events.filter((event) => event.type === 'status' && event.state === 'resyncing');
}

describe('OKX seqId/prevSeqId continuity on the real capture with sequence fields added', () => {
  it('finds no false gap over the whole capture when checksum is 0 (absent, not a mismatch)', async () => {
    const { sink, session } = await replay((await sequenced(true)).entries);
    expect(sink.counts.parsed).toMatchObject({ 'books snapshot applied': 3, 'books update applied': 287 });
    expect(sink.total('rejected')).toBe(0);
    const absent = RECORDED_INST_IDS.map((instId) => session.bookSync(instId)!.stats.checksumsAbsent);
    expect(absent.reduce((a, b) => a + b, 0)).toBe(290);
    for (const instId of RECORDED_INST_IDS) {
      expect(session.bookSync(instId)!.stats).toMatchObject({ gaps: 0, checksumsVerified: 0, checksumMismatches: 0 });
    }
    expect(resyncs(sink.events)).toEqual([]);
    // book_delta events carry the sequence range: UNI's snapshot is at 1000, its first update 1000 → 1001.
    const delta = sink.events.find((event) => event.type === 'book_delta' && event.symbol === 'UNI-USD');
    expect(delta).toMatchObject({ firstSequence: 1000, sequence: 1001 });
  });

  it('checks sequence and checksum together when both are present', async () => {
    const { sink, session } = await replay((await sequenced(false)).entries);
    const verified = RECORDED_INST_IDS.map((instId) => session.bookSync(instId)!.stats.checksumsVerified);
    expect(verified.reduce((a, b) => a + b, 0)).toBe(290);
    expect(resyncs(sink.events)).toEqual([]);
  });

  it('detects a dropped frame by prevSeqId, names the numbers, and resyncs only that instrument', async () => {
    const { entries, books } = await sequenced(true);
    const uni = books.get('UNI-USD-SWAP')!;
    const dropped = uni[50]!;
    const { sink, session } = await replay(entries.filter((entry) => entry !== dropped.entry));
    expect(resyncs(sink.events)).toEqual([
      expect.objectContaining({
        symbol: 'UNI-USD',
        reason: `sequence gap: prevSeqId ${dropped.seqId} after seqId ${dropped.prevSeqId}`,
      }),
    ]);
    expect(session.bookSync('UNI-USD-SWAP')!.stats).toMatchObject({ gaps: 1, resyncs: 1 });
    expect(sink.sent.slice(1)).toEqual([
      '{"op":"unsubscribe","args":[{"channel":"books","instId":"UNI-USD-SWAP"}]}',
      '{"op":"subscribe","args":[{"channel":"books","instId":"UNI-USD-SWAP"}]}',
    ]);
    expect(session.bookSync('BTC-USDT')!.isLive).toBe(true);
    expect(session.bookSync('BTC-USD-220527')!.isLive).toBe(true);
  });

  it('ignores a duplicated frame and an older one re-sent later, without a resync', async () => {
    const { entries, books } = await sequenced(true);
    const btc = books.get('BTC-USDT')!;
    const duplicate = btc[20]!.entry;
    const older = btc[10]!.entry;
    const replayed = entries.flatMap((entry) =>
      entry === duplicate ? [entry, entry] : entry === btc[30]!.entry ? [entry, older] : [entry],
    );
    const { sink, session } = await replay(replayed);
    expect(sink.counts.ignored['books update stale']).toBe(2);
    expect(session.bookSync('BTC-USDT')!.stats).toMatchObject({ stale: 2, gaps: 0, resyncs: 0 });
    expect(resyncs(sink.events)).toEqual([]);
    expect(sink.frames).toBe(412);
  });

  it('treats an empty update with seqId == prevSeqId as the keep-alive, and accepts a sequence reset', async () => {
    const { entries, books } = await sequenced(true);
    const swap = books.get('BTC-USD-220527')!;
    const at = swap[40]!;
    const keepAlive = `{"arg":{"channel":"books","instId":"BTC-USD-220527"},"action":"update","data":[{"asks":[],"bids":[],"ts":"1652459230000","checksum":0,"prevSeqId":${at.seqId},"seqId":${at.seqId}}]}`;
    // After frame 60 the venue resets its ids: the next frame is prevSeqId = last, seqId = 3, then 3 → 4, ...
    const reset = swap[60]!;
    let next = 3;
    const replayed = rewriteFrames(entries, (text, entry) => {
      const index = swap.findIndex((item) => item.entry === entry);
      if (index <= 60) return text;
      const prev = index === 61 ? reset.seqId : next - 1;
      const out = text.replace(/"prevSeqId":\d+,"seqId":\d+/, `"prevSeqId":${prev},"seqId":${next}`);
      next++;
      return out;
    }).flatMap((entry) => (entry === at.entry ? [entry, { ...at.entry, data: keepAlive }] : [entry]));
    const { sink, session } = await replay(replayed);
    expect(sink.counts.ignored['books update heartbeat']).toBe(1);
    const sync = session.bookSync('BTC-USD-220527')!;
    expect(sync.stats).toMatchObject({ heartbeats: 1, gaps: 0, resyncs: 0 });
    expect(sync.seqId).toBe(next - 1);
    expect(resyncs(sink.events)).toEqual([]);
  });
});
