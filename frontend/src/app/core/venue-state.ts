import type { FeedSource, FeedState, WireInstrument, WireStatus } from '@tickwire/feeds';
import type { ConnectionStatus } from '../data/sdk';

/** What the status bar says of a venue. */
export type VenueState =
  'live' | 'replay' | 'simulated' | 'resyncing' | 'stale' | 'connecting' | 'disconnected' | 'reconnecting';

export interface VenueSummary {
  readonly venue: string;
  readonly state: VenueState;
  readonly source: FeedSource;
  /** The reason of the instrument that decided the state (e.g. "sequence gap 1021 -> 1023"). */
  readonly detail: string;
  readonly instruments: number;
}

/** Worse states win: one resyncing book makes its venue resyncing. */
const SEVERITY: Record<FeedState, number> = { live: 0, connecting: 1, resyncing: 2, stale: 3, disconnected: 4 };

/**
 * Per-venue state from each instrument's `status` channel and the SDK's connection: while the
 * terminal is not connected to the gateway every venue is `reconnecting` (what it last heard is
 * old news); a venue whose instruments are all live says where its data comes from.
 */
export function summarizeVenues(
  instruments: readonly WireInstrument[],
  statuses: ReadonlyMap<string, WireStatus>,
  connection: ConnectionStatus,
): VenueSummary[] {
  const venues = new Map<string, { worst: WireStatus | undefined; source: FeedSource; count: number }>();
  for (const instrument of instruments) {
    const status = statuses.get(instrument.instrument);
    const entry = venues.get(instrument.venue) ?? { worst: undefined, source: instrument.source, count: 0 };
    entry.count++;
    if (status !== undefined && (entry.worst === undefined || SEVERITY[status.state] > SEVERITY[entry.worst.state])) {
      entry.worst = status;
    }
    if (status !== undefined) entry.source = status.source;
    venues.set(instrument.venue, entry);
  }
  return [...venues].map(([venue, { worst, source, count }]) => ({
    venue,
    source,
    instruments: count,
    state: venueState(worst?.state, source, connection),
    detail: connection === 'open' ? (worst?.reason ?? 'waiting for status') : 'gateway connection lost',
  }));
}

function venueState(state: FeedState | undefined, source: FeedSource, connection: ConnectionStatus): VenueState {
  if (connection === 'reconnecting' || connection === 'closed') return 'reconnecting';
  if (connection === 'connecting' || state === undefined) return 'connecting';
  if (state !== 'live') return state;
  return source === 'live' ? 'live' : source;
}
