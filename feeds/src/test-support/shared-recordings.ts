import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The real venue captures beside the project (../shared/recordings from the workspace root), read
 * in place and never copied into the repository. TICKWIRE_SHARED_RECORDINGS overrides the path.
 */
export const SHARED_RECORDINGS =
  process.env['TICKWIRE_SHARED_RECORDINGS'] ?? resolve(__dirname, '../../../../shared/recordings');

export function sharedRecording(relativePath: string): string {
  const path = join(SHARED_RECORDINGS, relativePath);
  if (!existsSync(path)) {
    throw new Error(`shared recording missing: ${path} (tests read ../shared/recordings beside the project)`);
  }
  return path;
}
