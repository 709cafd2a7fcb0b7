import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { findLesson } from '../src/engine/lessons';
import { choosePreset, openApp } from './helpers';

const SHOTS = '/tmp/lessons-shots';

test('a lesson walks through the run, asks, answers from the run, and its link reopens it at its step', async ({
  page,
  context,
}) => {
  await openApp(page);
  await page.getByTestId('lesson-why-precopy-converges').click();
  const caption = page.getByTestId('lesson-caption');
  await expect(caption).toContainText('Pre-copy first sends every page');
  await expect(page.getByTestId('lesson-progress')).toHaveText('step 1 of 6');
  // The step points at the source grid.
  await expect(page.getByTestId('grid-source')).toHaveClass(/lesson-highlight/);
  await page.getByTestId('lesson-continue').click();
  await expect(caption).toContainText(/Round 0 sent [\d,]+ pages in [\d.,]+ ms/, { timeout: 60_000 });
  // The caption's page count is the round table's.
  const sent = (await caption.textContent())?.match(/Round 0 sent ([\d,]+) pages/)?.[1];
  // Words that name a legend entry carry its swatch.
  await expect(caption.locator('.lesson-term')).toContainText(['dirtied']);
  await expect(page.getByTestId('round-table').locator('tbody tr').first()).toContainText(sent ?? 'none');
  await page.getByLabel('shorter').check();
  await page.getByTestId('share').click();
  await page.getByTestId('share-here').click();
  const link = page.url();
  await page.getByTestId('lesson-continue').click();
  await expect(page.getByTestId('lesson-answer')).toContainText('You predicted “shorter”; the run says “shorter” ✓', {
    timeout: 60_000,
  });

  const other = await context.newPage();
  await openApp(other, link);
  await expect(other.getByTestId('lesson-progress')).toHaveText('step 2 of 6');
  await expect(other.getByTestId('lesson-caption')).toContainText(`Round 0 sent ${sent} pages`);
});

test('presenter keys: . and PageDown go to the next phase, PageUp back a phase, b blanks the screen', async ({
  page,
}) => {
  await openApp(page);
  await page.keyboard.press('.');
  await expect(page.getByTestId('event-index')).not.toHaveText('0');
  const first = await page.getByTestId('event-index').textContent();
  await page.keyboard.press('PageDown');
  await expect(page.getByTestId('event-index')).not.toHaveText(first ?? '');
  await page.keyboard.press('PageUp');
  await expect(page.getByTestId('event-index')).toHaveText(first ?? '');
  await page.keyboard.press('b');
  await expect(page.getByTestId('blank')).toBeVisible();
  await page.keyboard.press('b');
  await expect(page.getByTestId('blank')).toHaveCount(0);
  // In a lesson the same keys continue and go back.
  await page.getByTestId('lesson-why-precopy-converges').click();
  await expect(page.getByTestId('lesson-progress')).toHaveText('step 1 of 6');
  await expect(page.getByTestId('lesson-caption')).toContainText('Pre-copy first sends every page');
  await expect(page.getByTestId('busy')).toHaveCount(0);
  await page.keyboard.press('PageDown');
  await expect(page.getByTestId('lesson-progress')).toHaveText('step 2 of 6');
  await expect(page.getByTestId('lesson-caption')).toContainText('Round 0 sent', { timeout: 60_000 });
  await page.keyboard.press('PageUp');
  await expect(page.getByTestId('lesson-progress')).toHaveText('step 1 of 6');
});

/** A step of one lesson per lab whose caption names states, and the legend words it must mark. */
const TERM_STEPS = [
  { lesson: 'postcopy-vs-hybrid', step: 2, terms: ['not there yet', 'faulted in'] },
  { lesson: 'epoch-length', step: 1, terms: ['dirty this epoch'] },
  { lesson: 'clustering', step: 1, terms: ['guest', 'vmm', 'kernel'] },
  { lesson: 'isolation-zeros', step: 2, terms: ['completed', 'free, old bytes still there'] },
  { lesson: 'probe-through-the-copy', step: 1, terms: ['virtualized', 'passed through'] },
];

/** Heading order and contrast (the coloured words included) with a lesson open. */
async function scanLesson(page: Page, what: string): Promise<void> {
  const result = await new AxeBuilder({ page }).withRules(['heading-order', 'color-contrast']).analyze();
  const found = result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect.soft(found, `${what}: headings out of order or text below contrast`).toEqual([]);
}

test("every lab's lesson captions mark the legend's words as the legend draws them", async ({ page }) => {
  test.setTimeout(400_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await openApp(page);
  for (const t of TERM_STEPS) {
    const found = findLesson(t.lesson);
    if (!found) throw new Error(`no lesson ${t.lesson}`);
    await choosePreset(page, found.lesson.preset);
    await page.getByTestId(`lesson-${t.lesson}`).click();
    for (let i = 1; i < t.step; i++) {
      await expect(page.getByTestId('lesson-continue')).toBeEnabled({ timeout: 60_000 });
      await page.getByTestId('lesson-continue').click();
    }
    const total = found.lesson.steps.length;
    await expect(page.getByTestId('lesson-progress')).toHaveText(`step ${t.step} of ${total}`);
    const caption = page.getByTestId('lesson-caption');
    await expect(caption).not.toContainText('Running to the next moment', { timeout: 60_000 });
    await expect(caption.locator('.lesson-term')).toHaveText(t.terms);
    // Each marked word is a word of the lab's legend on the page.
    const legends = (
      await page
        .locator(':is(.legend, .ck-legend, .net-legend, .pool-legend, .pt-legend):not(.lesson-term)')
        .allInnerTexts()
    ).join('\n');
    for (const term of t.terms) expect(legends, `${t.lesson}: the legend names "${term}"`).toContain(term);
    // Never colour alone: a patterned state's swatch draws its pattern, a text term its underline or slant.
    for (const term of await caption.locator('.lesson-term').all()) {
      const cue = await term.evaluate((el) => {
        const swatch = el.querySelector<HTMLElement>('.lesson-term-swatch');
        if (swatch)
          return swatch.dataset.pattern === 'solid' || getComputedStyle(swatch).backgroundImage.includes('gradient');
        const style = getComputedStyle(el);
        return style.textDecorationLine !== 'none' || style.fontStyle === 'italic';
      });
      expect(cue, `${t.lesson}: "${await term.textContent()}" has a cue besides its colour`).toBe(true);
    }
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      await scanLesson(page, `${t.lesson} ${colorScheme}`);
      for (const [width, height] of [
        [1440, 900],
        [1280, 720],
      ]) {
        await page.setViewportSize({ width, height });
        await page.screenshot({ path: `${SHOTS}/${found.lab}-${t.lesson}-${colorScheme}-${width}.png` });
      }
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1440, height: 900 });
    // Presentation mode keeps the headings in order too.
    await page.keyboard.press('p');
    await expect(page.locator('.app.presenting')).toBeVisible();
    await scanLesson(page, `${t.lesson} presenting`);
    await page.screenshot({ path: `${SHOTS}/${found.lab}-${t.lesson}-presenting-1440.png` });
    await page.keyboard.press('p');
    await page.getByRole('button', { name: 'leave' }).click();
    await expect(page.getByTestId('lesson')).toHaveCount(0);
  }
});
