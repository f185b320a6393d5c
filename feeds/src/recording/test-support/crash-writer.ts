/*
 * Child process for the crash-safety test: writes numbered entries forever with a short flush
 * interval and prints "flushed <count>" after each flush reaches the disk, until it is killed.
 */
import { RecordingWriter } from '../recording-writer';

const directory = process.argv[2];
if (directory === undefined) throw new Error('usage: crash-writer <directory>');
const writer = new RecordingWriter({ directory, venue: 'simulated', streams: ['crash'], flushIntervalMs: 50 });
let written = 0;
const started = 1_700_000_000_000_000;

setInterval(() => {
  for (let i = 0; i < 200; i++) {
    writer.write({ kind: 'recv', time: started + written, conn: 1, data: `{"n":${written}}` });
    written++;
  }
}, 5);

setInterval(() => {
  const count = written;
  void writer.flush().then(() => {
    process.stdout.write(`flushed ${count}\n`);
  });
}, 50);
