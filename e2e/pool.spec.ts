import { expect, test } from '@playwright/test';
import { observeEvents } from '../src/engine/eventStream';
import { pool } from '../src/engine/pool';
import { ScenarioRun } from '../src/engine/run';
import { findPreset } from '../src/engine/scenario/presets';
import { resolveScenario } from '../src/engine/scenario/validate';
import { choosePreset, expectEventIndex, expectLinkReopens, openApp, playEveryPreset, visibleState } from './helpers';

const SHOTS = '/tmp/pool-shots';

async function openLabOf(page: import('@playwright/test').Page, id: string, compare: boolean) {
  if (!compare) return choosePreset(page, id);
  await page.getByTestId('preset').selectOption(id);
  await expect(page.getByTestId('pool-compare')).toBeVisible({ timeout: 120_000 });
  await page.getByTestId('tab-lab').click();
  await expect(page.getByTestId('run-status')).toHaveText(/paused|finished/, { timeout: 90_000 });
}

test('every pool preset plays to the end, every read verified', async ({ page }) => {
  test.setTimeout(400_000);
  await playEveryPreset(page, pool.presets, {
    compareTestId: 'pool-compare',
    shots: SHOTS,
    atEnd: async () => expect(page.getByTestId('pool-verified')).toHaveText('yes'),
  });
});

/** The event index of the first io.fail in a preset's run, as the CLI's engine counts it. */
function firstFailure(id: string): number {
  const run = new ScenarioRun(resolveScenario(findPreset(id)?.scenario));
  let at = -1;
  observeEvents(run, (e) => {
    if (at < 0 && e.type === 'io.fail') at = e.i;
  });
  run.runToEnd();
  run.dispose();
  return at;
}

test('stepping back across an allocation failure shows what a fresh run shows there', async ({ page, context }) => {
  test.setTimeout(300_000);
  const fail = firstFailure('pool-fills-compare');
  expect(fail).toBeGreaterThan(0);
  const target = fail - 1;
  const ahead = fail + 3;
  const base = Math.floor(target / 100) * 100;
  await page.setViewportSize({ width: 1280, height: 720 });
  await openApp(page);
  await openLabOf(page, 'pool-fills-compare', true);
  for (let i = 0; i < base / 100; i++) await page.getByTitle('Step 100 events').click();
  await expectEventIndex(page, base);
  for (let i = 0; i < ahead - base; i++) await page.keyboard.press('ArrowRight');
  await expectEventIndex(page, ahead);
  await page.screenshot({ path: `${SHOTS}/after-failure-1280.png`, fullPage: true });
  for (let i = 0; i < ahead - target; i++) await page.keyboard.press('ArrowLeft');
  await expectEventIndex(page, target);
  await page.screenshot({ path: `${SHOTS}/before-failure-1280.png`, fullPage: true });
  const back = await visibleState(page);

  const fresh = await context.newPage();
  await fresh.setViewportSize({ width: 1280, height: 720 });
  await openApp(fresh);
  await openLabOf(fresh, 'pool-fills-compare', true);
  for (let i = 0; i < base / 100; i++) await fresh.getByTitle('Step 100 events').click();
  await expectEventIndex(fresh, base);
  for (let i = 0; i < target - base; i++) await fresh.keyboard.press('ArrowRight');
  await expectEventIndex(fresh, target);
  expect(await visibleState(fresh)).toEqual(back);
});

test('a shared pool link reopens the same state', async ({ page, context }) => {
  test.setTimeout(200_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await openApp(page);
  await choosePreset(page, 'pool-burst');
  for (let i = 0; i < 10; i++) await page.getByTitle('Step 100 events').click();
  await expectEventIndex(page, 1000);
  await page.screenshot({ path: `${SHOTS}/burst-1000-1440.png`, fullPage: true });
  await expectLinkReopens(page, context, 1000);
});
