import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';

/** Where `nx build frontend` writes the terminal, relative to the workspace root. */
const TERMINAL_DIR = 'dist/frontend/browser';

/**
 * Serves the built Angular terminal from the same origin as the API, so the browser needs no
 * CORS and one port is enough. Without a build (API-only use) it says so and serves the API alone.
 */
export function serveTerminal(app: NestExpressApplication, root = process.env['TICKWIRE_ROOT'] ?? process.cwd()): void {
  const dir = resolve(root, TERMINAL_DIR);
  if (!existsSync(join(dir, 'index.html'))) {
    Logger.warn(`no terminal build in ${dir}: serving the API only (run \`npm run build\`)`, 'Terminal');
    return;
  }
  app.useStaticAssets(dir, { index: 'index.html', maxAge: '1h' });
}
