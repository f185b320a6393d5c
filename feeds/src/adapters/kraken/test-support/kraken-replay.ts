import { readCryptofeedFile } from '../../../recording/cryptofeed-recording';
import type { RecordingEntry } from '../../../recording/recording-entry';
import { sharedRecording } from '../../../test-support/shared-recordings';
import { CollectingSink } from '../../collecting-sink';
import { replayIntoSessions } from '../../replay-session';
import type { UpstreamSubscription } from '../../venue-adapter';
import { KrakenAdapter, type KrakenAdapterOptions } from '../kraken-adapter';
import type { KrakenSession } from '../kraken-session';
import { parseRequest } from '../kraken-subscriptions';

export const BOOK = 'kraken/kraken-v1-book1000.ndjson';
export const TRADE = 'kraken/kraken-v1-trade.ndjson';
export const TICKER = 'kraken/kraken-v1-ticker.ndjson';

export async function entriesOf(file: string): Promise<RecordingEntry[]> {
  const out: RecordingEntry[] = [];
  for await (const entry of readCryptofeedFile(sharedRecording(file))) out.push(entry);
  return out;
}

/** Text of every received frame, in order. */
export function receivedFrames(entries: readonly RecordingEntry[]): string[] {
  return entries.flatMap((entry) => (entry.kind === 'recv' && typeof entry.data === 'string' ? [entry.data] : []));
}

export interface Run {
  readonly sink: CollectingSink;
  readonly session: KrakenSession;
  readonly adapter: KrakenAdapter;
  readonly subscriptions: UpstreamSubscription[];
}

/**
 * Replays a recorded v1 connection into a fresh session subscribed to what the recorder asked for
 * (its "sent" subscribe request), with the recorded book depth.
 */
export async function replay(
  entries: readonly RecordingEntry[],
  options: Partial<KrakenAdapterOptions> = {},
): Promise<Run> {
  const sent = entries.find((entry) => entry.kind === 'sent');
  const request = sent?.kind === 'sent' && typeof sent.data === 'string' ? parseRequest(sent.data) : undefined;
  if (request === undefined) throw new Error('recording holds no subscribe request');
  const adapter = new KrakenAdapter({ version: 'v1', bookDepth: 1000, ...options });
  const subscriptions = request.pairs.map((pair): UpstreamSubscription => {
    const symbol = adapter.symbolOf(pair);
    if (symbol === undefined) throw new Error(`unknown pair ${pair}`);
    return { symbol, channel: request.channel };
  });
  const sink = new CollectingSink();
  let session: KrakenSession | undefined;
  await replayIntoSessions(entries, () => {
    session = adapter.createSession(subscriptions, sink);
    return session;
  });
  if (session === undefined) throw new Error('recording opened no connection');
  return { sink, session, adapter, subscriptions };
}

/** The recording with the received frame `frame` (by identity) replaced by `replacement` (none: dropped). */
export function editFrame(
  entries: readonly RecordingEntry[],
  frame: RecordingEntry,
  ...replacement: string[]
): RecordingEntry[] {
  return entries.flatMap((entry) =>
    entry === frame
      ? replacement.map((data): RecordingEntry => ({ kind: 'recv', time: entry.time, conn: 1, data }))
      : [entry],
  );
}
