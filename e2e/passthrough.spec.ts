import { expect, test } from '@playwright/test';
import { passthrough } from '../src/engine/passthrough';
import { choosePreset, expectEventIndex, expectLinkReopens, openApp, playEveryPreset, visibleState } from './helpers';

const SHOTS = '/tmp/passthrough-shots';

test('every passthrough preset plays to the end', async ({ page }) => {
  test.setTimeout(300_000);
  await playEveryPreset(page, passthrough.presets, {
    compareTestId: 'pt-compare',
    shots: SHOTS,
    atEnd: async (id) => {
      if (id === 'passthrough-migration-refused')
        await expect(page.getByTestId('pt-migration').first()).toContainText('refused');
      if (id === 'passthrough-unsafe-iommu') await expect(page.getByTestId('pt-blocked').first()).not.toHaveText('0');
    },
  });
});

test('stepping back through the probe shows the BAR sizing as a fresh run does', async ({ page, context }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await openApp(page);
  await choosePreset(page, 'passthrough-probe');
  for (let i = 0; i < 12; i++) await page.keyboard.press('ArrowRight');
  await expectEventIndex(page, 12);
  await page.screenshot({ path: `${SHOTS}/probe-12-1280.png`, fullPage: true });
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowLeft');
  await expectEventIndex(page, 9);
  const back = { ...(await visibleState(page)), path: await page.getByTestId('pt-path').innerText() };
  expect(back.path).toContain('BAR0 read-back');

  const fresh = await context.newPage();
  await fresh.setViewportSize({ width: 1280, height: 720 });
  await openApp(fresh);
  await choosePreset(fresh, 'passthrough-probe');
  for (let i = 0; i < 9; i++) await fresh.keyboard.press('ArrowRight');
  await expectEventIndex(fresh, 9);
  expect({ ...(await visibleState(fresh)), path: await fresh.getByTestId('pt-path').innerText() }).toEqual(back);
});

test('a shared passthrough link reopens the same state', async ({ page, context }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await openApp(page);
  await choosePreset(page, 'passthrough-nvme-hidden');
  await page.getByTitle('Step 100 events').click();
  await expectEventIndex(page, 100);
  await expectLinkReopens(page, context, 100);
});
