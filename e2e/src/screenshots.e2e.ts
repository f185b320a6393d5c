import { expect, test } from '@playwright/test';

const VIEWPORTS = [
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
] as const;

test.describe('terminal screenshots', () => {
  for (const viewport of VIEWPORTS) {
    test(`whole terminal and each widget at ${viewport.width}x${viewport.height}`, async ({ page }, testInfo) => {
      await page.setViewportSize(viewport);
      await page.goto('/');
      await expect(page).toHaveTitle('Tickwire terminal');
      await expect(page.getByTestId('ladder-table').locator('tr[data-side="bid"]').first()).toBeAttached();
      await expect(page.getByTestId('tape-table').locator('tbody tr').first()).toBeAttached();
      await expect(page.getByTestId('chart-legend')).toHaveAttribute('data-candles', /[1-9]/);
      const size = `${viewport.width}x${viewport.height}`;
      await page.screenshot({ path: testInfo.outputPath(`terminal-${size}.png`) });
      for (const pane of ['watchlist', 'pane-chart', 'pane-depth', 'pane-ladder', 'pane-tape']) {
        await page.getByTestId(pane).screenshot({ path: testInfo.outputPath(`${pane}-${size}.png`) });
      }
    });
  }
});
