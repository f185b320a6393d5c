import { SingleBar, Presets } from 'cli-progress';

export interface Progress {
  update(done: number): void;
  stop(): void;
}

/**
 * A progress bar on an interactive terminal, plain log lines (at most one per interval) otherwise,
 * so CI logs and pipes stay readable.
 */
export function createProgress(label: string, total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (stream.isTTY) {
    const bar = new SingleBar(
      { format: `${label} [{bar}] {percentage}% {value}/{total} entries | {eta_formatted} left`, stream },
      Presets.shades_classic,
    );
    bar.start(total, 0);
    return {
      update: (done) => {
        bar.update(done);
      },
      stop: () => {
        bar.stop();
      },
    };
  }
  const intervalMs = 5000;
  let lastLog = Date.now();
  let last = 0;
  return {
    update: (done) => {
      last = done;
      const now = Date.now();
      if (now - lastLog >= intervalMs) {
        lastLog = now;
        stream.write(`${label}: ${done}/${total} entries\n`);
      }
    },
    stop: () => {
      stream.write(`${label}: ${last}/${total} entries, done\n`);
    },
  };
}
