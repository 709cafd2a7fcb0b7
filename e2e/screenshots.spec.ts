import { expect, test } from '@playwright/test';
import { choosePreset, openApp, shapeKnown } from './helpers';

// Pictures of the app as a user sees it at 1280x800. They go to test-results/screens; with
// VMLAB_DOCS_SCREENSHOTS=1 (`npm run docs:screenshots`) they refresh the README's images in docs/.
const dir = process.env.VMLAB_DOCS_SCREENSHOTS ? 'docs' : 'test-results/screens';

test('screenshots of the migration and compare views', async ({ page }) => {
  await openApp(page);
  await choosePreset(page, 'precopy-converges');
  await shapeKnown(page, 'precopy-converges');
  // Mid-way through round 0: pages queued, in flight and present, the whole run ahead on the timeline.
  await page.getByTestId('scrubber').fill('1200');
  await expect(page.getByTestId('event-index')).toHaveText('1,200');
  await page.screenshot({ path: `${dir}/screenshot.png` });
  await choosePreset(page, 'compare-all');
  await expect(page.getByTestId('compare-table').locator('tbody tr')).toHaveCount(4, { timeout: 90_000 });
  await page.screenshot({ path: `${dir}/screenshot-compare.png` });
});
