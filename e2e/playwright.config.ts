import { defineConfig } from '@playwright/test';
import { assertChromiumInstalled, CHROMIUM_ARGS, CHROMIUM_PATH } from './src/chromium';
import { writeReplayConfig } from './src/replay-config';

assertChromiumInstalled();

/** A port of its own so a developer's running gateway (8080) does not answer the tests. */
const PORT = Number(process.env['E2E_PORT'] ?? 4319);

/** The gateway replays a real Coinbase capture (e2e/gateway-replay.config.json, paths made absolute). */
const CONFIG_PATH = writeReplayConfig();

export default defineConfig({
  testDir: './src',
  testMatch: '**/*.e2e.ts',
  outputDir: './test-results',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 20_000 },
  reporter: [['list'], ['json', { outputFile: '../tmp/reports/e2e.json' }]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    browserName: 'chromium',
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
  webServer: {
    command: 'node dist/backend/backend/src/main.js',
    cwd: '..',
    url: `http://127.0.0.1:${PORT}/api/health`,
    env: { TICKWIRE_PORT: String(PORT), TICKWIRE_HOST: '127.0.0.1', TICKWIRE_CONFIG: CONFIG_PATH },
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
