import { expect, test } from '@playwright/test';
import { GatewayProcess } from './gateway-process';
import { TerminalPage } from './terminal-page';

/*
 * A gateway of the test's own on the simulated venue: killed while the terminal shows it, the
 * terminal says it is reconnecting (banner, status bar, every venue); started again on the same
 * port, the terminal reconnects by itself and live data flows again.
 */

const PORT = Number(process.env['E2E_RECONNECT_PORT'] ?? 4329);
const gateway = new GatewayProcess(PORT, { TICKWIRE_FEEDS: 'simulated' });

test.afterAll(async () => {
  await gateway.kill();
});

test('the terminal reconnects by itself when the gateway restarts', async ({ page }, testInfo) => {
  await gateway.start();
  await page.setViewportSize({ width: 1280, height: 720 });
  const terminal = new TerminalPage(page);
  await terminal.open(`${gateway.baseUrl}/`);
  const status = page.getByTestId('connection-status');
  await expect(status).toHaveAttribute('data-status', 'open');
  await expect(page.getByTestId('banner-simulated')).toBeVisible();
  await expect(page.getByTestId('venue-status').first()).toHaveAttribute('data-state', 'simulated');
  await expect(terminal.ladderRows('bid').first()).toBeAttached();
  await expect(terminal.tapeRows().first()).toBeAttached();
  await expect(page.getByTestId('message-rate')).not.toHaveText(/^0 msg\/s$/);
  await page.screenshot({ path: testInfo.outputPath('terminal-simulated-1280x720.png') });

  await gateway.kill();
  await expect(status).toHaveAttribute('data-status', 'reconnecting');
  await expect(status).toContainText('reconnecting');
  await expect(page.getByTestId('reconnect-banner')).toBeVisible();
  for (const venue of await page.getByTestId('venue-status').all()) {
    await expect(venue).toHaveAttribute('data-state', 'reconnecting');
  }
  await expect(page.getByTestId('message-rate')).toHaveText('0 msg/s');
  const frozenTape = await terminal.tape(1);
  await page.screenshot({ path: testInfo.outputPath('terminal-reconnecting-1280x720.png') });

  await gateway.start();
  await expect(status).toHaveAttribute('data-status', 'open', { timeout: 20_000 });
  await expect(page.getByTestId('reconnect-banner')).toBeHidden();
  await expect(page.getByTestId('venue-status').first()).toHaveAttribute('data-state', 'simulated');
  // Live again: messages flow, and the widgets hold the new gateway's data.
  await expect(page.getByTestId('message-rate')).not.toHaveText(/^0 msg\/s$/);
  await expect(terminal.ladderRows('bid').first()).toBeAttached();
  await expect(terminal.ladderRows('ask').first()).toBeAttached();
  await expect(terminal.tapeRows().first()).toBeAttached();
  // New trades reach the tape (the newest row is no longer the one frozen at the kill).
  await expect.poll(() => terminal.tape(1)).not.toEqual(frozenTape);
});
