import { expect, test } from '@playwright/test';
import { encodeLink } from '../src/engine/scenario/linkCodec';
import { findPreset } from '../src/engine/scenario/presets';
import { resolveScenario } from '../src/engine/scenario/validate';

test('an embed plays inside an iframe on a page without cross-origin isolation, fitted to a 16:9 slide', async ({
  page,
  baseURL,
}) => {
  const scenario = resolveScenario(findPreset('precopy-converges')?.scenario);
  const link = `${baseURL}/${encodeLink({ scenario, position: 300, lab: 'migration', view: 'lab' })}&embed=1`;
  // about:blank with an iframe: no COOP/COEP headers on the embedding page.
  await page.setContent(
    `<iframe src="${link}" title="vmlab: pre-copy that converges" width="960" height="540" style="border:0"></iframe>`,
  );
  const frame = page.frameLocator('iframe[title^="vmlab"]');
  await expect(frame.getByTestId('event-index')).toHaveText('300', { timeout: 90_000 });
  expect(await page.evaluate(() => window.crossOriginIsolated)).toBe(false);
  await expect(frame.locator('.app-header')).toBeHidden();
  await expect(frame.getByTestId('grid-source')).toBeVisible();
  await frame.getByTestId('speed').selectOption('Infinity');
  await frame.getByTestId('play').click();
  await expect(frame.getByTestId('run-status')).toHaveText('finished', { timeout: 90_000 });
  await expect(frame.getByTestId('migration-status')).toContainText('verified');
  const height = await frame.locator('html').evaluate((el) => el.scrollHeight);
  await page.screenshot({ path: 'test-results/embed-960x540.png' });
  expect(height).toBeLessThanOrEqual(540);
});

test('Share offers the link at this step, the link to the scenario, and embed code for slides', async ({
  page,
  context,
  baseURL,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL });
  await page.goto('/');
  await expect(page.getByTestId('run-status')).toHaveText(/paused|finished/, { timeout: 90_000 });
  await page.getByTitle('Step 100 events').click();
  await expect(page.getByTestId('event-index')).toHaveText('100');
  const clip = () => page.evaluate(() => navigator.clipboard.readText());
  await page.getByTestId('share').click();
  await page.getByTestId('share-embed').click();
  await expect
    .poll(clip)
    .toMatch(/^<iframe src="http[^"]+#s=2\.[^"]+&embed=1" title="vmlab: [^"]+" width="960" height="540"/);
  await page.getByTestId('share').click();
  await page.getByTestId('share-link').click();
  const atStart = await clip();
  await page.getByTestId('share').click();
  await page.getByTestId('share-here').click();
  await expect.poll(clip).not.toBe(atStart);
  const other = await context.newPage();
  await other.goto(atStart);
  await expect(other.getByTestId('event-index')).toHaveText('0', { timeout: 90_000 });
  await other.goto(await clip());
  await expect(other.getByTestId('event-index')).toHaveText('100', { timeout: 90_000 });
});
