import { expect, type Page, test } from '@playwright/test';
import { choosePreset, eventIndex, openApp, shapeKnown } from './helpers';

// `?slow=<ms>` makes every slice of a long command that much slower, so a command is slow on
// purpose here rather than by the machine's speed.
async function openSlow(page: Page, preset: string): Promise<void> {
  await openApp(page, '/?slow=250');
  await choosePreset(page, preset);
  await shapeKnown(page, preset);
}

async function idle(page: Page): Promise<void> {
  await expect(page.getByTestId('busy')).toHaveCount(0, { timeout: 60_000 });
}

/** Press "next phase" until one takes long enough to show as busy (from round 0 it runs a whole round). */
async function slowNextPhase(page: Page): Promise<number> {
  for (let i = 1; i <= 6; i++) {
    await page.keyboard.press('Shift+ArrowRight');
    const busy = await page
      .getByTestId('busy')
      .waitFor({ timeout: 3000 })
      .then(() => true)
      .catch(() => false);
    if (busy) return i;
  }
  throw new Error('no next phase was slow');
}

test('a slow command says what it does, and presses meanwhile do not overshoot', async ({ page, context }) => {
  await openSlow(page, 'precopy-no-converge');
  const presses = await slowNextPhase(page);
  await expect(page.getByTestId('busy-label')).toContainText('Running to the next phase');
  await expect(page.getByTestId('play')).toBeDisabled();
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
  await page.getByTitle('Step 100 events').click({ force: true });
  await idle(page);
  const withPresses = await eventIndex(page);

  // The same next phase, from the same event, without the extra presses, ends at the same event.
  const other = await context.newPage();
  await openApp(other);
  await choosePreset(other, 'precopy-no-converge');
  await shapeKnown(other, 'precopy-no-converge');
  for (let i = 0; i < presses; i++) {
    const before = await eventIndex(other);
    await other.keyboard.press('Shift+ArrowRight');
    await expect(other.getByTestId('event-index')).not.toHaveText(before.toLocaleString('en-US'));
    await idle(other);
  }
  expect(withPresses).toBe(await eventIndex(other));
});

test('Cancel stops a long command where it got to, and the app goes on', async ({ page }) => {
  await openSlow(page, 'precopy-no-converge');
  await page.keyboard.press('End');
  await expect(page.getByTestId('busy-label')).toContainText('Running to');
  await page.getByTestId('cancel').click();
  await idle(page);
  await expect(page.getByTestId('stop-reason')).toContainText('cancelled');
  await expect(page.getByTestId('run-status')).toHaveText('paused');
  const at = await eventIndex(page);
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('event-index')).toHaveText((at + 1).toLocaleString('en-US'));
});

test('the scrubber covers the whole run before it has been played', async ({ page }) => {
  await openApp(page);
  await choosePreset(page, 'precopy-converges');
  await expect(page.getByTestId('scrubber')).not.toHaveAttribute('max', '1', { timeout: 60_000 });
  const max = Number(await page.getByTestId('scrubber').getAttribute('max'));
  await expect(page.locator('.scrubber')).toContainText(`/ ${max.toLocaleString('en-US')}`);
  await page.keyboard.press('End');
  await expect(page.getByTestId('run-status')).toHaveText('finished');
  expect(await eventIndex(page)).toBe(max);
});
