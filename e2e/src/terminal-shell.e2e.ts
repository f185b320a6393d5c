import { expect, test } from '@playwright/test';

test.describe('terminal shell served by the gateway', () => {
  test('shows the gateway online with the venues the backend reports', async ({ page, request }, testInfo) => {
    const health = await request.get('/api/health');
    expect(health.ok()).toBe(true);
    const body = (await health.json()) as { venues: string[] };

    await page.setViewportSize({ width: 1280, height: 720 });
    await page.goto('/');
    await expect(page).toHaveTitle('Tickwire terminal');
    await expect(page.getByTestId('gateway-status')).toHaveText('Gateway: online');
    await expect(page.getByTestId('venues').locator('li')).toHaveText(body.venues);
    await expect(page.getByTestId('feed-summary')).toContainText('API v1');

    await page.screenshot({ path: testInfo.outputPath('terminal-shell-1280x720.png'), fullPage: true });
  });

  test('says the gateway is unreachable when the API fails', async ({ page }) => {
    await page.route('**/api/health', (route) => route.abort('connectionrefused'));
    await page.goto('/');
    await expect(page.getByTestId('gateway-status')).toHaveText('Gateway: unreachable');
    await expect(page.getByRole('heading', { name: 'Cannot reach the gateway' })).toBeVisible();
  });
});
