import { expect, test } from '@playwright/test';
import { openApp } from './helpers';

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
