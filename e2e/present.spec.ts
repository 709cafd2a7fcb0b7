import { expect, type Page, test } from '@playwright/test';
import { choosePreset, eventIndex, expectEventIndex, openApp, runToEnd } from './helpers';

// Issue 8, items 6 and 7 and the editor's form: a projector, the keyboard.

/** WCAG contrast of two computed CSS colours ("rgb(r, g, b)"). */
function contrast(a: string, b: string): number {
  const lum = (css: string) => {
    const [r, g, bl] = (css.match(/[\d.]+/g) ?? []).slice(0, 3).map((v) => {
      const c = Number(v) / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** Each phase label on the timeline with the computed fill of the label and of the bar under its middle. */
async function phaseLabelColours(page: Page): Promise<{ label: string; text: string; bar: string }[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<SVGTextElement>('.timeline .phase-label')].map((t) => {
      const box = t.getBoundingClientRect();
      const under = document
        .elementsFromPoint(box.x + box.width / 2, box.y + box.height / 2)
        .find((el) => el.matches('.timeline rect.phase:not(.phase-ahead)'));
      return {
        label: t.textContent ?? '',
        text: getComputedStyle(t).fill,
        bar: under ? getComputedStyle(under).fill : 'none',
      };
    }),
  );
}

/** The computed font size, in CSS px, of every element the selector matches. */
async function fontSizes(page: Page, selector: string): Promise<number[]> {
  return page.locator(selector).evaluateAll((els) => els.map((el) => Number.parseFloat(getComputedStyle(el).fontSize)));
}

/** Press Tab until the focus is on `testId` or `limit` presses have gone by; the number pressed, or null. */
async function tabsTo(page: Page, testId: string, limit: number): Promise<number | null> {
  for (let n = 1; n <= limit; n++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((id) => document.activeElement?.getAttribute('data-testid') === id, testId)) return n;
  }
  return null;
}

const focusInDialog = (page: Page) => page.evaluate(() => !!document.activeElement?.closest('[role="dialog"]'));

test.describe('presentation mode', () => {
  test.use({ viewport: { width: 1280, height: 720 } });

  test('p puts a run on one 1280x720 screen, text at least 18 px, the log and breakpoints in drawers', async ({
    page,
  }) => {
    await openApp(page);
    await choosePreset(page, 'precopy-converges');
    await runToEnd(page);
    await page.keyboard.press('p');
    await expect(page.getByTestId('present')).toHaveAttribute('aria-pressed', 'true');
    await expect(page.locator('.app')).toHaveClass(/presenting/);

    expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeLessThanOrEqual(720);
    // The grids, the round chart, Play and the first metrics are on the screen, not below a scroll.
    for (const id of ['grid-source', 'grid-destination', 'round-chart', 'play', 'migration-status']) {
      const box = await page.getByTestId(id).boundingBox();
      expect(box, id).not.toBeNull();
      expect((box?.y ?? 0) + (box?.height ?? 0), id).toBeLessThanOrEqual(720);
    }
    for (const selector of [
      '.metrics dt',
      '.metrics dd',
      '.legend li',
      '.controls .position',
      '.chart text',
      '.timeline text',
    ]) {
      const sizes = await fontSizes(page, selector);
      expect(sizes.length, selector).toBeGreaterThan(0);
      expect(Math.min(...sizes), selector).toBeGreaterThanOrEqual(18);
    }
    // The log and breakpoints are off the screen until their drawer opens.
    await expect(page.getByTestId('event-log')).toHaveCount(0);
    await page.getByTestId('open-drawer-log').click();
    await expect(page.getByTestId('drawer-log')).toBeFocused();
    expect(Math.min(...(await fontSizes(page, '[data-testid="event-log"] li button')))).toBeGreaterThanOrEqual(18);
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('drawer-log')).toHaveCount(0);
    await expect(page.getByTestId('open-drawer-log')).toBeFocused();
    await page.getByTestId('open-drawer-breakpoints').click();
    expect(Math.min(...(await fontSizes(page, '.breakpoints label')))).toBeGreaterThanOrEqual(18);
    await page.keyboard.press('Escape');

    // The button leaves it again, and the page is as before.
    await page.getByTestId('present').click();
    await expect(page.locator('.app')).not.toHaveClass(/presenting/);
    await expect(page.getByTestId('event-log')).toBeVisible();
  });

  for (const scheme of ['light', 'dark'] as const) {
    test(`phase labels on the timeline are at least 4.5:1 against their bars (${scheme})`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
      await openApp(page);
      for (const preset of ['precopy-converges', 'postcopy']) {
        await choosePreset(page, preset);
        await runToEnd(page);
        for (const presenting of [false, true]) {
          if (presenting) await page.keyboard.press('p');
          const labels = await phaseLabelColours(page);
          expect(labels.length, preset).toBeGreaterThan(0);
          for (const l of labels) {
            expect(l.bar, `${preset}: ${l.label}`).not.toBe('none');
            expect(contrast(l.text, l.bar), `${preset}: ${l.label} ${l.text} on ${l.bar}`).toBeGreaterThanOrEqual(4.5);
          }
          if (presenting) await page.keyboard.press('p');
        }
      }
    });
  }
});

test.describe('keyboard', () => {
  test('on a finished post-copy, Tab from the top reaches Play: the log is one tab stop', async ({ page }) => {
    await openApp(page);
    await choosePreset(page, 'postcopy');
    await runToEnd(page);
    await page.keyboard.press('ArrowLeft'); // one event back: Play is live again, the log still full
    await expect(page.getByTestId('run-status')).toHaveText('paused');
    const log = page.getByTestId('event-log').locator('li');
    expect(await log.count()).toBeGreaterThan(100);
    const stops = await page
      .getByTestId('event-log')
      .locator('button')
      .evaluateAll((els) => els.filter((el) => (el as HTMLElement).tabIndex >= 0).length);
    expect(stops).toBe(1);

    await page.locator('.brand h1').click(); // Tab starts from the top of the page
    const presses = await tabsTo(page, 'play', 40);
    expect(presses).not.toBeNull();
    // The ring shows where the focus is.
    const outline = await page.getByTestId('play').evaluate((el) => getComputedStyle(el).outlineStyle);
    expect(outline).not.toBe('none');
  });

  test('the log: arrow keys, Home and End move inside it, Enter goes to the entry', async ({ page }) => {
    await openApp(page);
    await choosePreset(page, 'precopy-converges');
    await runToEnd(page);
    const end = await eventIndex(page);
    const buttons = page.getByTestId('event-log').locator('button');
    const count = await buttons.count();
    expect(count).toBeGreaterThan(5);
    // Into the log from the filter just before it.
    await page.getByTestId('log-filter').locator('button').last().focus();
    await page.keyboard.press('Tab');
    await expect(buttons.nth(0)).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect(buttons.nth(2)).toBeFocused();
    await page.keyboard.press('End');
    await expect(buttons.nth(count - 1)).toBeFocused();
    await page.keyboard.press('Home');
    await expect(buttons.nth(0)).toBeFocused();
    await page.keyboard.press('ArrowUp');
    await expect(buttons.nth(0)).toBeFocused();
    // Home and End stayed in the log: the run did not restart.
    await expectEventIndex(page, end);
    expect(await buttons.nth(0).evaluate((el) => getComputedStyle(el).outlineStyle)).not.toBe('none');

    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
    const target = Number(await buttons.nth(3).getAttribute('data-event'));
    expect(target).toBeLessThan(end);
    await page.keyboard.press('Enter');
    await expectEventIndex(page, target);
    // Still one tab stop, on the entry just used.
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Tab');
    await expect(page.locator(`[data-testid="event-log"] button[data-event="${target}"]`).first()).toBeFocused();
  });

  test('the help dialog takes the focus, keeps it on Tab, and gives it back on Escape', async ({ page }) => {
    await openApp(page);
    const opener = page.getByRole('button', { name: 'help and keyboard shortcuts' });
    await opener.focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('dialog', { name: 'help' })).toBeVisible();
    expect(await focusInDialog(page)).toBe(true);
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press('Tab');
      expect(await focusInDialog(page)).toBe(true);
    }
    for (let i = 0; i < 3; i++) {
      await page.keyboard.press('Shift+Tab');
      expect(await focusInDialog(page)).toBe(true);
    }
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await expect(opener).toBeFocused();
  });

  test('the scenario editor takes the focus, keeps it on Tab, and gives it back on Escape', async ({ page }) => {
    await openApp(page);
    const opener = page.getByRole('button', { name: 'Edit scenario' });
    await opener.focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('dialog', { name: 'scenario editor' })).toBeVisible();
    expect(await focusInDialog(page)).toBe(true);
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      expect(await focusInDialog(page)).toBe(true);
    }
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await expect(opener).toBeFocused();
  });
});

test('the editor form edits the JSON, keeps what was typed there, and names bad fields as the JSON does', async ({
  page,
}) => {
  await openApp(page);
  await choosePreset(page, 'precopy-converges');
  await page.getByRole('button', { name: 'Edit scenario' }).click();
  const json = page.getByTestId('scenario-json');
  const form = page.getByTestId('scenario-form');
  for (const field of [
    'migrations[0].strategy',
    'vms[0].workload.dirtyMiBps',
    'links[0].bandwidthMiBps',
    'migrations[0].downtimeLimitMs',
    'vms[0].memoryMiB',
  ]) {
    await expect(form.locator(`[data-field="${field}"]`)).toBeVisible();
  }
  const dirty = form.locator('[data-field="vms[0].workload.dirtyMiBps"]');
  await expect(dirty).toHaveValue('24');

  // Typed in the JSON first: the form's change keeps it.
  const typed = (await json.inputValue()).replace(/"name": "[^"]*"/, '"name": "Typed by hand"');
  await json.fill(typed);
  await dirty.fill('-5');
  await expect(json).toHaveValue(/"dirtyMiBps": -5/);
  await expect(json).toHaveValue(/"name": "Typed by hand"/);
  const fieldError = page.getByTestId('field-error-vms[0].workload.dirtyMiBps');
  await expect(fieldError).toHaveText(/^vms\[0\]\.workload\.dirtyMiBps: /);
  await expect(dirty).toHaveAttribute('aria-invalid', 'true');
  // Apply gives the same words in the list under the JSON.
  await page.getByTestId('apply-scenario').click();
  await expect(page.getByTestId('editor-errors')).toContainText((await fieldError.textContent()) ?? '?');

  await dirty.fill('64');
  await expect(fieldError).toHaveCount(0);
  await form.locator('[data-field="links[0].bandwidthMiBps"]').fill('256');
  await form.locator('[data-field="migrations[0].downtimeLimitMs"]').fill('50');
  await expect(json).toHaveValue(/"bandwidthMiBps": 256/);
  await page.getByTestId('apply-scenario').click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(page.getByTestId('scenario-name')).toHaveText('Typed by hand');
  await expect(page.locator('[data-rate="rate-dirty"]')).toHaveText('64.0 MiB/s');
  await expect(page.getByTestId('threshold')).toContainText('50.0 ms');
});
