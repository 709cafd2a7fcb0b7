import { expect, test } from '@playwright/test';
import { choosePreset, openApp } from './helpers';

// Pictures for the README (docs/), taken the way a user sees the app at 1280x800.
test('screenshots of the migration and compare views', async ({ page }) => {
  await openApp(page);
  await choosePreset(page, 'precopy-converges');
  for (let i = 0; i < 4; i++) await page.keyboard.press('Shift+ArrowRight');
  await page.getByTitle('Step 100 events').click();
  await page.getByTitle('Step 100 events').click();
  await page.getByTitle('Step 100 events').click();
  await expect(page.getByTestId('round-table')).toBeVisible();
  await page.screenshot({ path: 'docs/screenshot.png' });
  await choosePreset(page, 'compare-all');
  await expect(page.getByTestId('compare-table').locator('tbody tr')).toHaveCount(4, { timeout: 90_000 });
  await page.screenshot({ path: 'docs/screenshot-compare.png' });
});
