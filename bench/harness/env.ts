import { cpus, totalmem } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export interface MachineInfo {
  readonly node: string;
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly platform: string;
}

export function machineInfo(): MachineInfo {
  const all = cpus();
  return {
    node: process.version,
    cpu: all[0]?.model.trim() ?? 'unknown CPU',
    cores: all.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    platform: `${process.platform}-${process.arch}`,
  };
}

export function rssMiB(): number {
  return process.memoryUsage().rss / 2 ** 20;
}

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as (() => void) | undefined;

/**
 * A full garbage collection before a figure's warm-up, so it does not pay for the garbage of the
 * figure before it. Not before every timed run: right after a full GC V8 shrinks the young
 * generation, which penalises allocation-heavy code in short runs.
 */
export function collectGarbage(): void {
  gc?.();
}
