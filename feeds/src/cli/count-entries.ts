import { createReadStream } from 'node:fs';
import { RecordingReader } from '../recording/recording-reader';
import { RECORDING_EXTENSION } from '../recording/recording-writer';

/**
 * How many entries a recording holds, cheaply, for progress display: the block headers of a
 * Tickwire recording, or the line count of an NDJSON capture (and its REST companion).
 */
export async function countEntries(paths: readonly string[]): Promise<number> {
  let total = 0;
  for (const path of paths) {
    if (path.endsWith(RECORDING_EXTENSION)) {
      const reader = await RecordingReader.open(path);
      try {
        for await (const block of reader.blocks()) total += block.info.entryCount;
      } catch {
        // A damaged file: the count is what precedes the damage; inspect reports the damage.
      }
    } else {
      total += await countLines(path);
    }
  }
  return total;
}

async function countLines(path: string): Promise<number> {
  let lines = 0;
  for await (const chunk of createReadStream(path)) {
    const bytes = chunk as Buffer;
    for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) lines++;
  }
  return lines;
}
