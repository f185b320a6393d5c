import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';

/** The repository root (this file is e2e/src/replay-config.ts). */
export const REPO_ROOT = resolve(__dirname, '../..');

interface ReplayFeedConfig {
  readonly kind: 'replay';
  readonly venue: string;
  readonly file: string;
  readonly symbols: readonly string[];
  readonly speed: number | 'max';
}

export interface ReplayGatewayConfig {
  readonly feeds: readonly ReplayFeedConfig[];
}

/**
 * The e2e gateway configuration (e2e/gateway-replay.config.json) with each recording's path made
 * absolute: the file names it relative to the repository root (`../shared/recordings/...`, beside
 * the project), or under TICKWIRE_SHARED_RECORDINGS when that is set.
 */
export function replayConfig(): ReplayGatewayConfig {
  const config = JSON.parse(
    readFileSync(join(REPO_ROOT, 'e2e/gateway-replay.config.json'), 'utf8'),
  ) as ReplayGatewayConfig;
  const shared = process.env['TICKWIRE_SHARED_RECORDINGS'];
  return {
    ...config,
    feeds: config.feeds.map((feed) => ({
      ...feed,
      file: isAbsolute(feed.file)
        ? feed.file
        : shared !== undefined && feed.file.startsWith('../shared/recordings/')
          ? join(shared, feed.file.slice('../shared/recordings/'.length))
          : resolve(REPO_ROOT, feed.file),
    })),
  };
}

/** Writes the resolved configuration under tmp/ and returns its path (for TICKWIRE_CONFIG). */
export function writeReplayConfig(): string {
  const path = join(REPO_ROOT, 'tmp/e2e/gateway-replay.config.json');
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(replayConfig(), null, 2));
  return path;
}
