import { expect, test } from '@playwright/test';
import { choosePreset, openApp } from './helpers';

// Pictures of the app as a user sees it at 1280x800. They go to test-results/screens; with
// VMLAB_DOCS_SCREENSHOTS=1 (`npm run docs:screenshots`) they refresh the README's images in docs/.
const dir = process.env.VMLAB_DOCS_SCREENSHOTS ? 'docs' : 'test-results/screens';

test('screenshots of the migration and compare views', async ({ page }) => {
  await openApp(page);
  await choosePreset(page, 'precopy-converges');
  for (let i = 0; i < 4; i++) await page.keyboard.press('Shift+ArrowRight');
  await page.getByTitle('Step 100 events').click();
  await page.getByTitle('Step 100 events').click();
  await page.getByTitle('Step 100 events').click();
  await expect(page.getByTestId('round-table')).toBeVisible();
  await page.screenshot({ path: `${dir}/screenshot.png` });
  await choosePreset(page, 'compare-all');
  await expect(page.getByTestId('compare-table').locator('tbody tr')).toHaveCount(4, { timeout: 90_000 });
  await page.screenshot({ path: `${dir}/screenshot-compare.png` });
});
