import { type BrowserContext, expect, type Page } from '@playwright/test';
import { ScenarioRun } from '../src/engine/run';
import { findPreset } from '../src/engine/scenario/presets';
import { resolveScenario } from '../src/engine/scenario/validate';

/** Open the app (or a link) and wait until the worker has loaded the scenario. */
export async function openApp(page: Page, url = '/'): Promise<void> {
  await page.goto(url);
  await expect(page.getByTestId('run-status')).toHaveText(/paused|finished/, { timeout: 90_000 });
}

export async function runToEnd(page: Page): Promise<void> {
  await page.keyboard.press('End');
  await expect(page.getByTestId('run-status')).toHaveText('finished', { timeout: 90_000 });
}

export async function eventIndex(page: Page): Promise<number> {
  return Number((await page.getByTestId('event-index').textContent())?.replace(/,/g, ''));
}

export async function expectEventIndex(page: Page, n: number): Promise<void> {
  await expect(page.getByTestId('event-index')).toHaveText(n.toLocaleString('en-US'), { timeout: 60_000 });
}

export async function choosePreset(page: Page, id: string): Promise<void> {
  await page.getByTestId('preset').selectOption(id);
  // A compare preset opens the compare view, which has no playback: there the run details show it loaded.
  if (findPreset(id)?.view === 'compare') {
    await expect(page.getByTestId('compare-note')).toBeVisible({ timeout: 90_000 });
    await expect(page.getByTestId('trace-hash')).toBeVisible({ timeout: 90_000 });
  } else await expect(page.getByTestId('run-status')).toHaveText(/paused|finished/, { timeout: 90_000 });
}

/** Everything on screen that describes the run's state at this event. */
export async function visibleState(page: Page) {
  return {
    index: await page.getByTestId('event-index').innerText(),
    time: await page.getByTestId('sim-time').innerText(),
    hash: await page.getByTestId('trace-hash').innerText(),
    metrics: await page.locator('.metrics').innerText(),
    log: await page.getByTestId('event-log').innerText(),
  };
}

/** Wait until the background run has measured the whole run: the scrubber shows the preset's total, as the CLI counts it. */
export async function shapeKnown(page: Page, presetId: string): Promise<void> {
  const run = new ScenarioRun(resolveScenario(findPreset(presetId)?.scenario)).runToEnd();
  const total = run.sim.eventIndex;
  run.dispose();
  await expect(page.locator('.scrubber')).toContainText(`/ ${total.toLocaleString('en-US')}`, { timeout: 90_000 });
}

/**
 * Each preset of a lab loaded, its sentence shown, played to the end; a compare preset first
 * shows its comparison (`compareTestId`), then its run. `atEnd` checks what the lab says there.
 */
export async function playEveryPreset(
  page: Page,
  presets: readonly { id: string; view: string; teaches: string }[],
  o: { compareTestId: string; shots: string; atEnd?: (presetId: string) => Promise<void> },
): Promise<void> {
  await page.setViewportSize({ width: 1440, height: 900 });
  await openApp(page);
  for (const preset of presets) {
    if (preset.view === 'compare') {
      await page.getByTestId('preset').selectOption(preset.id);
      await expect(page.getByTestId(o.compareTestId)).toBeVisible({ timeout: 120_000 });
      await page.screenshot({ path: `${o.shots}/${preset.id}-compare-1440.png`, fullPage: true });
      await page.getByTestId('tab-lab').click();
      await expect(page.getByTestId('run-status')).toHaveText(/paused|finished/, { timeout: 90_000 });
    } else await choosePreset(page, preset.id);
    await expect(page.getByTestId('teaches')).toHaveText(preset.teaches);
    await runToEnd(page);
    await o.atEnd?.(preset.id);
    await expect(page.getByTestId('error-banner')).toHaveCount(0);
    await page.screenshot({ path: `${o.shots}/${preset.id}-end-1440.png`, fullPage: true });
  }
}

/** Share a link to this moment, open it in a new page, and see the same state at the same event. */
export async function expectLinkReopens(page: Page, context: BrowserContext, at: number): Promise<void> {
  await page.getByTestId('share').click();
  await page.getByTestId('share-here').click();
  await expect(page.getByTestId('toast')).toBeVisible();
  const link = page.url();
  const before = await visibleState(page);
  const other = await context.newPage();
  await other.setViewportSize(page.viewportSize() ?? { width: 1440, height: 900 });
  await openApp(other, link);
  await expectEventIndex(other, at);
  expect(await visibleState(other)).toEqual(before);
}
