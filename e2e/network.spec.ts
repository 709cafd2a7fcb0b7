import { expect, test } from '@playwright/test';
import { network } from '../src/engine/network';
import { choosePreset, expectEventIndex, expectLinkReopens, openApp, playEveryPreset, visibleState } from './helpers';

const SHOTS = '/tmp/network-shots';

test('every network preset plays to the end, verified', async ({ page }) => {
  test.setTimeout(300_000);
  await playEveryPreset(page, network.presets, {
    compareTestId: 'network-sweep',
    shots: SHOTS,
    atEnd: async () => expect(page.getByTestId('net-verified')).toHaveText('yes'),
  });
});

test('stepping back through a flush shows the cluster waiting again, as a fresh run does', async ({
  page,
  context,
}) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await openApp(page);
  await choosePreset(page, 'net-cluster-3');
  for (let i = 0; i < 3; i++) await page.getByTitle('Step 100 events').click();
  await expectEventIndex(page, 300);
  await page.screenshot({ path: `${SHOTS}/cluster-300-1280.png`, fullPage: true });
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowLeft');
  await expectEventIndex(page, 296);
  const back = { ...(await visibleState(page)), group: await page.getByTestId('net-last-group').innerText() };

  const fresh = await context.newPage();
  await fresh.setViewportSize({ width: 1280, height: 720 });
  await openApp(fresh);
  await choosePreset(fresh, 'net-cluster-3');
  for (let i = 0; i < 2; i++) await fresh.getByTitle('Step 100 events').click();
  await expectEventIndex(fresh, 200);
  for (let i = 0; i < 96; i++) await fresh.keyboard.press('ArrowRight');
  await expectEventIndex(fresh, 296);
  expect({ ...(await visibleState(fresh)), group: await fresh.getByTestId('net-last-group').innerText() }).toEqual(
    back,
  );
});

test('a shared network link reopens the same state', async ({ page, context }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await openApp(page);
  await choosePreset(page, 'net-offload');
  for (let i = 0; i < 2; i++) await page.getByTitle('Step 100 events').click();
  await expectEventIndex(page, 200);
  await page.screenshot({ path: `${SHOTS}/offload-200-1440.png`, fullPage: true });
  await expectLinkReopens(page, context, 200);
});
