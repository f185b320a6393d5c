/*
 * Browser frame time of the terminal at a high update rate: the built gateway on the simulated
 * venue at a high message rate, the built terminal in headless Chromium (Debian's), requestAnimationFrame
 * intervals and long tasks sampled in the page, and the page's script time from the DevTools
 * protocol. Not a test: numbers to compare between changes.
 * Needs `npx nx run-many -t build -p backend frontend` first.
 * Run: npx tsx bench/terminal-frame-time.ts [--seconds 10] [--rate 5000] [--symbols 20]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH, assertChromiumInstalled } from '../e2e/src/chromium';
import { GatewayProcess } from '../e2e/src/gateway-process';

function argValue(name: string, fallback: number): number {
  const index = process.argv.indexOf(name);
  return index === -1 ? fallback : Number(process.argv[index + 1]);
}

const SECONDS = argValue('--seconds', 10);
const RATE = argValue('--rate', 5000);
const SYMBOLS = argValue('--symbols', 20);
const PORT = argValue('--port', 4339);
const ROOT = resolve(__dirname, '..');

interface Sample {
  /** requestAnimationFrame intervals, ms. */
  readonly frames: number[];
  /** Long task durations, ms. */
  readonly longTasks: number[];
}

/** Runs in the page (a string: this file is compiled without DOM types). */
const SAMPLER = `async (ms) => {
  const frames = [];
  const longTasks = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longTasks.push(entry.duration);
  });
  observer.observe({ type: 'longtask' });
  await new Promise((done) => {
    let last = performance.now();
    const end = last + ms;
    const tick = (now) => {
      frames.push(now - last);
      last = now;
      if (now < end) requestAnimationFrame(tick);
      else done();
    };
    requestAnimationFrame(tick);
  });
  observer.disconnect();
  return { frames, longTasks };
}`;

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function main(): Promise<void> {
  assertChromiumInstalled();
  const configPath = join(ROOT, 'tmp/bench/frame-time.config.json');
  mkdirSync(join(ROOT, 'tmp/bench'), { recursive: true });
  writeFileSync(
    configPath,
    JSON.stringify({
      feeds: [{ kind: 'simulated', protocol: 'binance', seed: 7, messagesPerSecond: RATE, generatedSymbols: SYMBOLS }],
    }),
  );
  const gateway = new GatewayProcess(PORT, { TICKWIRE_CONFIG: configPath });
  await gateway.start();
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await page.goto(`${gateway.baseUrl}/`);
    await page.getByTestId('ladder-table').locator('tbody tr[data-side="bid"]').first().waitFor({ state: 'attached' });
    await page.getByTestId('tape-table').locator('tbody tr').first().waitFor({ state: 'attached' });
    // Let the streams reach their steady rate.
    await page.waitForTimeout(2000);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const metrics = async (): Promise<Record<string, number>> => {
      const { metrics: list } = await cdp.send('Performance.getMetrics');
      return Object.fromEntries(list.map((metric) => [metric.name, metric.value]));
    };
    const before = await metrics();
    const sample = await page.evaluate<Sample>(`(${SAMPLER})(${SECONDS * 1000})`);
    const after = await metrics();
    const rate = await page.getByTestId('message-rate').textContent();
    const sorted = [...sample.frames].sort((a, b) => a - b);
    const scriptMs = ((after['ScriptDuration'] ?? 0) - (before['ScriptDuration'] ?? 0)) * 1000;
    const taskMs = ((after['TaskDuration'] ?? 0) - (before['TaskDuration'] ?? 0)) * 1000;
    const result = {
      node: process.version,
      cpu: cpus()[0]?.model ?? 'unknown',
      viewport: '1920x1080',
      simulatedMessagesPerSecond: RATE,
      symbols: SYMBOLS,
      terminalMessageRate: rate,
      seconds: SECONDS,
      frames: sample.frames.length,
      frameMs: {
        p50: percentile(sorted, 50),
        p95: percentile(sorted, 95),
        p99: percentile(sorted, 99),
        max: sorted.at(-1),
      },
      framesOver20ms: sample.frames.filter((ms) => ms > 20).length,
      longTasks: sample.longTasks.length,
      longTaskMsTotal: sample.longTasks.reduce((sum, ms) => sum + ms, 0),
      scriptMsPerSecond: scriptMs / SECONDS,
      taskMsPerSecond: taskMs / SECONDS,
    };
    console.log(JSON.stringify(result, null, 2));
    mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
    writeFileSync(join(ROOT, 'bench/results/terminal-frame-time.json'), JSON.stringify(result, null, 2));
  } finally {
    await browser.close();
    await gateway.kill();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
