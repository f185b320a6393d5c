import { expect, test } from '@playwright/test';
import { GatewayProcess } from './gateway-process';
import { TerminalPage } from './terminal-page';

/*
 * A proxy that strips WebSocket upgrades, emulated in the browser: every WebSocket to the stream
 * is closed before it delivers anything. The terminal falls back to Server-Sent Events by itself,
 * says so in the status bar, and shows live data.
 */

const PORT = Number(process.env['E2E_SSE_PORT'] ?? 4339);
const gateway = new GatewayProcess(PORT, { TICKWIRE_FEEDS: 'simulated' });

test.afterAll(async () => {
  await gateway.kill();
});

test('with WebSockets blocked, the terminal streams live data over SSE', async ({ page }, testInfo) => {
  await gateway.start();
  let refused = 0;
  await page.routeWebSocket(/\/api\/v1\/stream/, async (socket) => {
    refused++;
    await socket.close({ code: 1006, reason: 'upgrade stripped by a proxy' });
  });
  await page.setViewportSize({ width: 1280, height: 720 });
  const terminal = new TerminalPage(page);
  await terminal.open(`${gateway.baseUrl}/`);
  const transport = page.getByTestId('transport');
  await expect(transport).toHaveAttribute('data-transport', 'sse', { timeout: 20_000 });
  await expect(transport).toHaveText('SSE fallback');
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'open');
  expect(refused).toBeGreaterThan(0);
  await expect(terminal.ladderRows('bid').first()).toBeAttached();
  await expect(terminal.ladderRows('ask').first()).toBeAttached();
  await expect(terminal.tapeRows().first()).toBeAttached();
  await expect(page.getByTestId('message-rate')).not.toHaveText(/^0 msg\/s$/);
  // Live: new trades keep arriving over the event stream.
  const first = await terminal.tape(1);
  await expect.poll(() => terminal.tape(1), { timeout: 20_000 }).not.toEqual(first);
  await page.screenshot({ path: testInfo.outputPath('terminal-sse-fallback-1280x720.png') });
});
