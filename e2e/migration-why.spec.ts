import { expect, type Page, test } from '@playwright/test';
import { choosePreset, openApp, runToEnd } from './helpers';

/** Where the screenshots of this spec go (never into the tracked docs). */
const SHOTS = process.env.VMLAB_SHOTS_DIR;

async function shoot(page: Page, name: string): Promise<void> {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

async function open(page: Page, id: string): Promise<void> {
  await openApp(page);
  await choosePreset(page, id);
}

test.describe('why a pre-copy does not converge, read from the screen', () => {
  test('dirty rate and bandwidth side by side in MiB/s, the threshold, the ratio per round', async ({ page }) => {
    await open(page, 'precopy-no-converge');
    await runToEnd(page);
    const rates = page.getByTestId('rates');
    await expect(rates.locator('[data-rate="rate-dirty"]')).toHaveText('160 MiB/s');
    await expect(rates.locator('[data-rate="rate-dirty-measured"]')).toHaveText('128 MiB/s');
    await expect(rates.locator('[data-rate="rate-bandwidth"]')).toHaveText('128 MiB/s');
    await expect(page.getByTestId('threshold')).toContainText('300 ms at 128 MiB/s');
    await expect(page.locator('[data-metric="dirty-pages-rate"]')).toHaveText('128 MiB/s');
    await expect(page.locator('[data-metric="throughput"]')).toHaveText(/MiB\/s$/);
    const table = page.getByTestId('round-table');
    await expect(table.locator('thead')).toContainText('dirtied / sent');
    await expect(table.locator('tbody tr').nth(3)).toContainText('1.00');
    await expect(table.locator('tbody tr').nth(3)).toContainText('no');
    await shoot(page, 'no-converge-lab');
  });

  test('the round chart draws the downtime limit as a line, and has a log scale', async ({ page }) => {
    await open(page, 'precopy-no-converge');
    await runToEnd(page);
    const chart = page.getByTestId('round-chart');
    await expect(chart.getByTestId('threshold-line')).toHaveCount(1);
    await expect(chart.locator('.threshold-label tspan')).toHaveText(['300 ms', 'limit']);
    // The line sits under the dirtied bars of a round that does not fit.
    const line = await chart.getByTestId('threshold-line').boundingBox();
    const dirtied = await chart.locator('rect.bar-dirtied').nth(3).boundingBox();
    expect(line && dirtied && line.y > dirtied.y).toBe(true);
    await page.getByTestId('round-log').check();
    await expect(chart.locator('.axis-label')).toContainText('log scale');
    // Chart text keeps its CSS size: 12 px at any panel width.
    const size = await chart
      .locator('.tick text')
      .first()
      .evaluate((t) => getComputedStyle(t).fontSize);
    expect(size).toBe('12px');
    const box = await chart.boundingBox();
    const viewBox = await chart.getAttribute('viewBox');
    expect(viewBox).toBeNull();
    expect(Number(await chart.getAttribute('width'))).toBe(Math.floor(box?.width ?? 0));
  });

  test("expected-downtime says it is QEMU's figure, next to the if-stopped-now figure", async ({ page }) => {
    await open(page, 'precopy-no-converge');
    const expected = page.locator('.metrics dl div').filter({ has: page.locator('[data-metric="expected-downtime"]') });
    await expect(expected).toHaveAttribute('title', /QEMU's expected-downtime: the bytes still dirty at the last/);
    const now = page.locator('.metrics dl div').filter({ has: page.locator('[data-metric="if stopped now"]') });
    await expect(now).toHaveAttribute('title', /If the VM stopped now/);
    await runToEnd(page);
    await expect(page.locator('[data-metric="expected-downtime"]')).toHaveText(/^50\d ms$/);
  });

  test('"at round N" stops on the final stopped pass the table labels round N', async ({ page }) => {
    await open(page, 'precopy-no-converge');
    await page.getByTestId('bp-round-round').fill('10');
    await page.getByTestId('bp-round').check();
    await page.keyboard.press('End');
    await expect(page.getByTestId('stop-reason')).toHaveText(
      'breakpoint: round 10 began (the final pass, VM stopped)',
      { timeout: 90_000 },
    );
  });
});

test('XBZRLE: the bytes it saved are on the screen', async ({ page }) => {
  await open(page, 'xbzrle');
  await runToEnd(page);
  await expect(page.getByTestId('xbzrle-saved')).toContainText(
    /XBZRLE saved [\d.]+ MiB: [\d,]+ pages went as [\d.]+ KiB of deltas instead of [\d.]+ MiB, \d+% of what/,
  );
  await expect(page.locator('[data-metric="xbzrle bytes saved"]')).toHaveText(/MiB$/);
  await shoot(page, 'xbzrle-lab');
});

test('compare: a stranded VM shows as stranded, and pre-copy says whether it converged', async ({ page }) => {
  await openApp(page);
  // The preset opens in the compare view, which has no run status to wait for.
  await page.getByTestId('preset').selectOption('link-failure');
  const rows = page.getByTestId('compare-table').locator('tbody tr');
  await expect(rows).toHaveCount(4, { timeout: 90_000 });
  await expect(page.getByTestId('compare-table').locator('thead')).toContainText('converged');
  await expect(rows.nth(2)).toContainText('stranded: runs nowhere');
  const downtime = page.locator('ul.hbars[aria-label="Downtime"] li');
  await expect(downtime.nth(2)).toContainText('stranded: runs nowhere');
  await expect(downtime.nth(2).locator('.hbar-stranded')).toHaveCount(1);
  await shoot(page, 'link-failure-compare');
  await page.getByTestId('tab-lab').click();
  await runToEnd(page);
  await expect(page.getByTestId('migration-status')).toContainText('stranded: runs nowhere');
  await expect(page.locator('[data-metric="expected-downtime"]')).toHaveText('stranded');
  await shoot(page, 'link-failure-lab');
});

test('compare of a pre-copy that cannot converge: converged "no"', async ({ page }) => {
  await open(page, 'precopy-no-converge');
  await page.getByTestId('tab-compare').click();
  const rows = page.getByTestId('compare-table').locator('tbody tr');
  await expect(rows).toHaveCount(4, { timeout: 90_000 });
  const precopy = rows.filter({ hasText: 'pre-copy' }).first();
  await expect(precopy.locator('td.converged-no')).toHaveText('no');
  await shoot(page, 'no-converge-compare');
});
