import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { PRESETS } from '../src/engine/scenario/presets';
import { choosePreset, expectEventIndex, openApp } from './helpers';

const SHOTS = '/tmp/a11y-shots';

/** One preset of each lab (the first that opens on the run), in registry order. */
const LAB_PRESETS = [...new Set(PRESETS.map((p) => p.lab))].map((lab) => {
  const preset = PRESETS.find((p) => p.lab === lab && p.view === 'lab');
  if (!preset) throw new Error(`lab ${lab} has no preset that opens on the run`);
  return preset;
});

async function scan(page: Page, what: string): Promise<void> {
  const result = await new AxeBuilder({ page }).analyze();
  // Headings out of order are only "moderate" to axe, but a screen reader's outline depends on them: held too.
  const blocking = result.violations.filter(
    (v) => v.impact === 'serious' || v.impact === 'critical' || v.id === 'heading-order',
  );
  for (const v of result.violations.filter((x) => !blocking.includes(x))) {
    console.log(`${what}: ${v.impact} ${v.id} (${v.nodes.length}): ${v.help}`);
  }
  const described = blocking.map(
    (v) =>
      `${v.impact} ${v.id}: ${v.help}\n${v.nodes
        .slice(0, 5)
        .map((n) => `  ${n.target.join(' ')}: ${n.failureSummary?.split('\n').slice(0, 3).join(' / ')}`)
        .join('\n')}`,
  );
  expect.soft(described, `${what}: serious or critical axe violations, or headings out of order`).toEqual([]);
}

for (const colorScheme of ['light', 'dark'] as const) {
  test(`every lab passes an axe scan, ${colorScheme} theme, normal and presentation mode`, async ({ page }) => {
    test.setTimeout(400_000);
    await page.emulateMedia({ colorScheme, reducedMotion: 'reduce' });
    await page.setViewportSize({ width: 1440, height: 900 });
    await openApp(page);
    for (const preset of LAB_PRESETS) {
      await choosePreset(page, preset.id);
      // Play a little so the views show the states that matter, then pause.
      const step = page.getByTitle('Step 100 events');
      for (let i = 0; i < 3 && (await step.isEnabled()); i++) {
        await step.click();
        await expect(page.getByTestId('run-status')).toHaveText(/paused|finished/);
      }
      await expect(page.getByTestId('run-status')).toHaveText(/paused|finished/);
      await scan(page, `${preset.id} ${colorScheme}`);
      // Reduced motion: nothing animates on its own (the busy link's marching dashes, spinners).
      const running = await page.evaluate(() =>
        document
          .getAnimations()
          .filter((a) => a.playState === 'running' && a.effect?.getTiming().iterations === Infinity),
      );
      expect(running, `${preset.id}: endless animations under prefers-reduced-motion`).toHaveLength(0);
      await page.screenshot({ path: `${SHOTS}/${preset.lab}-${colorScheme}-1440.png`, fullPage: true });
      await page.keyboard.press('p');
      await expect(page.locator('.app.presenting')).toBeVisible();
      await scan(page, `${preset.id} ${colorScheme} presenting`);
      await page.keyboard.press('p');
      await expect(page.locator('.app.presenting')).toHaveCount(0);
    }
  });
}

/** One compare preset of each lab that has one. */
const COMPARE_PRESETS = [...new Set(PRESETS.map((p) => p.lab))].flatMap((lab) =>
  PRESETS.filter((p) => p.lab === lab && p.view === 'compare').slice(0, 1),
);

test("every lab's compare view passes an axe scan, light and dark", async ({ page }) => {
  test.setTimeout(600_000);
  await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
  await page.setViewportSize({ width: 1440, height: 900 });
  await openApp(page);
  for (const preset of COMPARE_PRESETS) {
    await page.getByTestId('preset').selectOption(preset.id);
    await expect(page.locator('.compare-view > *').nth(1)).toBeVisible({ timeout: 180_000 });
    await expect(page.getByRole('button', { name: 'Run comparison' })).toBeVisible({ timeout: 180_000 });
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme, reducedMotion: 'reduce' });
      await scan(page, `${preset.id} compare ${colorScheme}`);
      await page.screenshot({ path: `${SHOTS}/${preset.lab}-compare-${colorScheme}-1440.png`, fullPage: true });
    }
    await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
  }
});

test('a page grid, a ring and a config dump are reached and inspected from the keyboard', async ({ page }) => {
  test.setTimeout(200_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await openApp(page);
  await choosePreset(page, 'precopy-converges');
  await page.getByTitle('Step 100 events').click();
  await expectEventIndex(page, 100);
  const grid = page.getByTestId('grid-source').locator('canvas');
  await grid.focus();
  for (const key of ['ArrowRight', 'ArrowRight', 'ArrowDown', 'End', 'Home', 'ArrowRight'])
    await page.keyboard.press(key);
  await expect(page.getByTestId('grid-source').locator('.grid-tooltip')).toContainText('page 1 ');
  // The arrows, Home and End moved the cursor, not the run.
  await expectEventIndex(page, 100);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('selection')).toContainText('page 1');
  await page.screenshot({ path: `${SHOTS}/keyboard-grid-1440.png` });

  await choosePreset(page, 'net-cluster-3');
  await page.getByTitle('Step 100 events').click();
  await expect(page.getByTestId('run-status')).toHaveText(/paused|finished/);
  await page.getByTestId('net-ring-tx').locator('svg').focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('net-ring-tx')).toContainText('slot 1:');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('selection')).toContainText('slot 1');
  await page.screenshot({ path: `${SHOTS}/keyboard-ring-1440.png` });

  await choosePreset(page, 'passthrough-probe');
  await page.getByTestId('dump-virtual').locator('table').focus();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('dump-virtual')).toContainText('0x10 =');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('selection')).toContainText('BAR0 at 0x010');
  await page.screenshot({ path: `${SHOTS}/keyboard-dump-1440.png` });
});

test('first load: the lab is drawn without reloading, figure printed', async ({ page }) => {
  // Loads of the document (the address bar's hash updates are not loads).
  let loads = 0;
  page.on('load', () => loads++);
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/');
  // Milliseconds since navigation start until a frame in which the default lab's grid is on screen.
  const drawnMs = await page.waitForFunction(
    () => {
      const grid = document.querySelector('[data-testid="grid-source"] canvas') as HTMLCanvasElement | null;
      return grid && grid.width > 0 && !document.body.innerText.includes('Loading…') ? performance.now() : null;
    },
    null,
    { polling: 'raf', timeout: 90_000 },
  );
  const figures = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    const mark = performance.getEntriesByName('vmlab:first-frame')[0];
    const worker = performance.getEntriesByType('resource').find((r) => /worker-[^/]*\.js$/.test(r.name)) as
      | PerformanceResourceTiming
      | undefined;
    return {
      domContentLoaded: nav.domContentLoadedEventEnd,
      workerFetched: worker ? worker.responseEnd : -1,
      frameStored: mark ? mark.startTime : -1,
    };
  });
  const drawn = (await drawnMs.jsonValue()) as number;
  console.log(
    `first load (production build, vite preview): DOMContentLoaded ${figures.domContentLoaded.toFixed(0)} ms, worker script fetched ${figures.workerFetched.toFixed(0)} ms, first frame stored ${figures.frameStored.toFixed(0)} ms, lab drawn ${drawn.toFixed(0)} ms after navigation start`,
  );
  expect(loads).toBe(1);
  expect(
    await page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).type),
  ).toBe('navigate');
  await expect(page.getByTestId('grid-source')).toBeVisible();
});
