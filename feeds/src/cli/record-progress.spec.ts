import { describe, expect, it } from 'vitest';
import { createRecordProgress, formatBytes } from './record-progress';

/** A stream that keeps what is written; `isTTY` as given. */
function captured(isTTY: boolean) {
  const chunks: string[] = [];
  return {
    chunks,
    text: () => chunks.join(''),
    stream: {
      isTTY,
      columns: 120,
      write: (chunk: string | Uint8Array) => {
        chunks.push(String(chunk));
        return true;
      },
    } as unknown as NodeJS.WriteStream,
  };
}

describe('tickwire record progress', () => {
  it('not a terminal: plain log lines, at most one per interval, a final one on stop, no escape codes', () => {
    const out = captured(false);
    let now = 0;
    const progress = createRecordProgress({
      durationMs: 600_000,
      stream: out.stream,
      logIntervalMs: 10_000,
      clock: () => now,
    });
    for (let second = 1; second <= 25; second++) {
      now = second * 1000;
      progress.update({ entries: second * 100, bytesWritten: second * 2048, elapsedMs: now });
    }
    progress.log('connection 2 open: wss://stream.binance.com:9443/stream');
    progress.stop();
    expect(
      out
        .text()
        .split('\n')
        .filter((line) => line.length > 0),
    ).toEqual([
      'tickwire record: 10 of 600 s, 1000 entries, 20.0 KiB on disk',
      'tickwire record: 20 of 600 s, 2000 entries, 40.0 KiB on disk',
      'tickwire record: connection 2 open: wss://stream.binance.com:9443/stream',
      'tickwire record: 25 of 600 s, 2500 entries, 50.0 KiB on disk, done',
    ]);
    expect(out.text()).not.toContain('\x1B');
  });

  it('without a duration: elapsed seconds only', () => {
    const out = captured(false);
    const progress = createRecordProgress({ durationMs: undefined, stream: out.stream, clock: () => 0 });
    progress.update({ entries: 7, bytesWritten: 300, elapsedMs: 3200 });
    progress.stop();
    expect(out.text()).toBe('tickwire record: 3 s, 7 entries, 300 bytes on disk, done\n');
  });

  it('a terminal: a cli-progress bar with the percentage of the planned duration', () => {
    const out = captured(true);
    const progress = createRecordProgress({ durationMs: 100_000, stream: out.stream });
    progress.update({ entries: 42, bytesWritten: 5 * 1024 * 1024, elapsedMs: 50_000 });
    progress.stop();
    expect(out.text()).toMatch(/tickwire record \[[^\]]+\] 50% \| 50\/100 s \| 42 entries, 5\.0 MiB/);
    expect(out.text()).toContain('\x1B');
  });

  it('formats sizes in binary units', () => {
    expect([0, 1023, 1536, 3 * 1024 ** 3].map(formatBytes)).toEqual(['0 bytes', '1023 bytes', '1.5 KiB', '3.0 GiB']);
  });
});
