import { defineInstrument } from '../../../model/instrument';
import type { FrameEntry, RecordingEntry } from '../../../recording/recording-entry';
import { readCryptofeedFile } from '../../../recording/cryptofeed-recording';
import { sharedRecording } from '../../../test-support/shared-recordings';
import { CollectingSink } from '../../collecting-sink';
import { replayIntoSessions } from '../../replay-session';
import { OkxAdapter } from '../okx-adapter';
import type { OkxSession } from '../okx-session';
import { subscriptionsFromRequests } from '../okx-symbols';

export const OKX_RECORDING = 'okx/okx-v5-public.ndjson';

/** The capture's three instruments with OKX's tick and lot sizes (contracts for the swap and the future). */
export const RECORDED_INSTRUMENTS = [
  defineInstrument({
    venue: 'okx',
    venueSymbol: 'BTC-USDT',
    base: 'BTC',
    quote: 'USDT',
    kind: 'spot',
    tickSize: '0.1',
    lotSize: '0.00000001',
  }),
  defineInstrument({
    venue: 'okx',
    venueSymbol: 'UNI-USD-SWAP',
    base: 'UNI',
    quote: 'USD',
    kind: 'perpetual',
    tickSize: '0.001',
    lotSize: '1',
  }),
  defineInstrument({
    venue: 'okx',
    venueSymbol: 'BTC-USD-220527',
    base: 'BTC',
    quote: 'USD',
    kind: 'future',
    tickSize: '0.1',
    lotSize: '1',
  }),
];

export const RECORDED_INST_IDS = ['BTC-USDT', 'UNI-USD-SWAP', 'BTC-USD-220527'] as const;

export async function recordedEntries(): Promise<RecordingEntry[]> {
  const out: RecordingEntry[] = [];
  for await (const entry of readCryptofeedFile(sharedRecording(OKX_RECORDING))) out.push(entry);
  return out;
}

export interface Run {
  readonly sink: CollectingSink;
  readonly session: OkxSession;
  readonly adapter: OkxAdapter;
}

/** Replays `entries` into one session subscribed to what the recorder subscribed. */
export async function replay(entries: readonly RecordingEntry[]): Promise<Run> {
  const adapter = new OkxAdapter({ instruments: RECORDED_INSTRUMENTS });
  const sent = entries.flatMap((entry) =>
    entry.kind === 'sent' && typeof entry.data === 'string' ? [entry.data] : [],
  );
  const subscriptions = subscriptionsFromRequests(sent, (instId) => adapter.symbolOf(instId));
  const sink = new CollectingSink();
  let session: OkxSession | undefined;
  await replayIntoSessions(entries, () => (session = adapter.createSession(subscriptions, sink)));
  if (session === undefined) throw new Error('recording opened no connection');
  return { sink, session, adapter };
}

/** The received frame entries whose text satisfies `match`. */
export function framesWhere(entries: readonly RecordingEntry[], match: (text: string) => boolean): FrameEntry[] {
  return entries.filter(
    (entry): entry is FrameEntry => entry.kind === 'recv' && typeof entry.data === 'string' && match(entry.data),
  );
}

/** `entries` with each received frame's text passed through `rewrite` (the same entry when unchanged). */
export function rewriteFrames(
  entries: readonly RecordingEntry[],
  rewrite: (text: string, entry: FrameEntry) => string | undefined,
): RecordingEntry[] {
  const out: RecordingEntry[] = [];
  for (const entry of entries) {
    if (entry.kind !== 'recv' || typeof entry.data !== 'string') {
      out.push(entry);
      continue;
    }
    const text = rewrite(entry.data, entry);
    if (text === undefined) continue;
    out.push(text === entry.data ? entry : { ...entry, data: text });
  }
  return out;
}

export function isBooksOf(instId: string): (text: string) => boolean {
  return (text) => text.startsWith(`{"arg":{"channel":"books","instId":"${instId}"}`);
}
