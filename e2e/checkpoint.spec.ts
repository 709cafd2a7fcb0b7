import { mkdirSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { CHECKPOINT_PRESETS } from '../src/engine/checkpoint/presets';
import { choosePreset, eventIndex, expectEventIndex, openApp, runToEnd, visibleState } from './helpers';

const SHOTS = '/tmp/checkpoint-shots';

async function step300(page: Page): Promise<void> {
  for (let i = 1; i <= 3; i++) {
    await page.getByTitle('Step 100 events').click();
    await expectEventIndex(page, 100 * i);
  }
}

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: false });
}

test('every checkpointing preset plays to the end verified; compare shows its strategies', async ({ page }) => {
  test.setTimeout(600_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await openApp(page);
  for (const preset of CHECKPOINT_PRESETS) {
    if (preset.view === 'lab') await choosePreset(page, preset.id);
    else await page.getByTestId('preset').selectOption(preset.id);
    await expect(page.getByTestId('teaches')).toHaveText(preset.teaches);
    if (preset.view === 'compare') {
      await expect(page.getByTestId('compare-table').locator('tbody tr')).toHaveCount(preset.compare?.length ?? 0, {
        timeout: 120_000,
      });
      await expect(page.getByTestId('compare-table')).not.toContainText('NO (');
      await shot(page, `compare-${preset.id}`);
      await page.getByTestId('tab-lab').click();
      await expect(page.getByTestId('run-status')).toHaveText(/paused|finished/, { timeout: 90_000 });
    }
    await runToEnd(page);
    await expect(page.getByTestId('checkpoint-metrics-status')).toContainText(
      `${preset.outcome?.status ?? 'protecting'} · verified byte-equal`,
    );
    await expect(page.getByTestId('error-banner')).toHaveCount(0);
    if (preset.view === 'lab') await shot(page, `lab-${preset.id}`);
  }
});

test('fail the primary now; step back across the failover; share and reopen', async ({ page, context }) => {
  test.setTimeout(300_000);
  await page.setViewportSize({ width: 1280, height: 720 });
  await openApp(page);
  await choosePreset(page, 'ckpt-epoch-200');
  await step300(page);
  await expect(page.getByTestId('checkpoint-status')).toContainText('protecting');
  await shot(page, 'before-fail-1280');
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/before-fail-1280-full.png`, fullPage: true });
  await page.getByTestId('fail-primary').click();
  // The scenario now holds hosts[0].failAtMs: same position, a custom scenario.
  await expect(page.getByTestId('run-status')).toHaveText('paused', { timeout: 90_000 });
  await expectEventIndex(page, 300);
  await expect(page.getByTestId('fail-primary')).toBeEnabled();
  await runToEnd(page);
  await expect(page.getByTestId('checkpoint-metrics-status')).toContainText('failed-over · verified byte-equal');
  await expect(page.getByTestId('checkpoint-status')).toContainText('0 responses lost');
  await expect(page.getByTestId('event-log')).toContainText('Failover');
  await shot(page, 'after-fail-1280');
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.screenshot({ path: `${SHOTS}/after-fail-1440-full.png`, fullPage: true });

  // Step back to before the failure: the VM is protected again.
  const end = await eventIndex(page);
  const failover = await page.getByTestId('event-log').innerText();
  expect(failover).toContain('Host hostA failed');
  await page.keyboard.press('Home');
  await expectEventIndex(page, 0);
  await step300(page);
  await expect(page.getByTestId('checkpoint-status')).toContainText('protecting');
  await page.keyboard.press('End');
  await expect(page.getByTestId('run-status')).toHaveText('finished', { timeout: 90_000 });
  await expect(page.getByTestId('checkpoint-status')).toContainText('failed-over');
  for (let i = 0; i < 40; i++) await page.keyboard.press('ArrowLeft');
  await expectEventIndex(page, end - 40);
  const back = await visibleState(page);

  await page.getByTestId('share').click();
  await page.getByTestId('share-here').click();
  await expect(page.getByTestId('toast')).toBeVisible();
  const link = page.url();
  const other = await context.newPage();
  await other.setViewportSize({ width: 1280, height: 720 });
  await openApp(other, link);
  await expectEventIndex(other, end - 40);
  expect(await visibleState(other)).toEqual(back);
  await expect(other.getByTestId('checkpoint-status')).toContainText(/failed-over|protecting/);
  await shot(other, 'reopened-1280');
});
