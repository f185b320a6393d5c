import type { RecordingEntry } from '../recording/recording-entry';
import type { VenueSession } from './venue-adapter';

export interface SessionReplayStats {
  readonly frames: number;
  readonly httpResponses: number;
  readonly connections: number;
}

/**
 * Drives adapter sessions from recorded traffic exactly as the connection manager drives them
 * live: `open` starts a session, received frames and REST responses go to it, `close` ends it.
 * Sent frames (our own subscribe requests) are not fed back. A recording with several connections
 * gets a new session per connection from `sessionFor`.
 */
export async function replayIntoSessions(
  entries: AsyncIterable<RecordingEntry> | Iterable<RecordingEntry>,
  sessionFor: (conn: number, url: string) => VenueSession,
): Promise<SessionReplayStats> {
  const sessions = new Map<number, VenueSession>();
  let last: VenueSession | undefined;
  let frames = 0;
  let httpResponses = 0;
  for await (const entry of entries) {
    switch (entry.kind) {
      case 'open': {
        const session = sessionFor(entry.conn, entry.url);
        sessions.set(entry.conn, session);
        last = session;
        session.open(entry.time);
        break;
      }
      case 'recv': {
        const session = sessions.get(entry.conn);
        if (session === undefined || typeof entry.data !== 'string') break;
        frames++;
        session.handleFrame(entry.data, entry.time);
        break;
      }
      case 'http':
        // REST responses belong to no connection: the latest session asked for them.
        if (last !== undefined) {
          httpResponses++;
          last.handleHttp(entry.url, entry.status, entry.body, entry.time);
        }
        break;
      case 'close':
        sessions.get(entry.conn)?.close(entry.time, `connection closed (${String(entry.code)}) ${entry.reason}`);
        sessions.delete(entry.conn);
        break;
      case 'sent':
        break;
    }
  }
  return { frames, httpResponses, connections: sessions.size };
}
