import { existsSync } from 'node:fs';
import type { RecordingRange } from '../recording/recording-reader';
import { RecordingReader } from '../recording/recording-reader';
import type { RecordingEntry } from '../recording/recording-entry';
import { readCryptofeedSession } from '../recording/cryptofeed-recording';
import { RECORDING_EXTENSION } from '../recording/recording-writer';

/**
 * Entries of a recording in either format: Tickwire's blocked gzip (.twrec.gz; seeks by block
 * headers) or the NDJSON captures of ../shared/recordings, whose REST companion
 * (`<name>-ws.ndjson` ↔ `<name>-rest-depth.ndjson`) is merged in when it exists (no index there,
 * so a range is applied by filtering).
 */
export async function openRecordingEntries(
  path: string,
  range: RecordingRange = {},
): Promise<AsyncIterable<RecordingEntry>> {
  if (path.endsWith(RECORDING_EXTENSION)) {
    const reader = await RecordingReader.open(path);
    return reader.entries(range);
  }
  const companion = path.replace(/-ws\.ndjson$/, '-rest-depth.ndjson');
  const session = readCryptofeedSession(path, companion !== path && existsSync(companion) ? companion : undefined);
  return filterRange(session, range);
}

async function* filterRange(
  source: AsyncIterable<RecordingEntry>,
  range: RecordingRange,
): AsyncGenerator<RecordingEntry> {
  const from = range.from ?? Number.NEGATIVE_INFINITY;
  const to = range.to ?? Number.POSITIVE_INFINITY;
  for await (const entry of source) {
    if (entry.time < from) continue;
    if (entry.time > to) return;
    yield entry;
  }
}
