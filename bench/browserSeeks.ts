import type { Page } from '@playwright/test';
import { Prng } from '../src/engine/kernel/prng';
import { findPreset } from '../src/engine/scenario/presets';
import { percentile, round } from './browser';

/** The presets whose memory churns most: the seeks that cost most in `npm run bench -- seek`. */
const PRESETS = [
  'precopy-no-converge',
  'precopy-autoconverge',
  'xbzrle',
  'ckpt-feedback-hotset',
  'ckpt-delta-write-light',
];
const SEEKS = 20;
const STEP_BACKS = 10;
const SETTLE_MS = Number(process.env.VMLAB_BENCH_SETTLE_MS ?? 3000);

// In the page, as strings (tsx would wrap a function's closures in a helper the page lacks).
// When each frame came from the worker, by event index: the worker's share of a seek.
const RECORD_FRAMES = `
  window.__frameAt = new Map();
  const PageWorker = window.Worker;
  window.Worker = class extends PageWorker {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => {
        if (e.data?.type === 'frame') window.__frameAt.set(e.data.eventIndex, performance.now());
      });
    }
  };`;
// Resolve once the event index shows `want`, then one animation frame later (the frame is painted),
// with the time the worker's frame for it arrived.
const WAIT_SHOWN = `(want, t0) => new Promise((resolve) => {
  const shown = document.querySelector('[data-testid="event-index"]');
  const n = Number(want.replace(/,/g, ''));
  const done = () => requestAnimationFrame(() => resolve([performance.now() - t0, (window.__frameAt.get(n) ?? NaN) - t0]));
  if (shown.textContent === want) return done();
  const watch = new MutationObserver(() => {
    if (shown.textContent !== want) return;
    watch.disconnect();
    done();
  });
  watch.observe(shown, { childList: true, characterData: true, subtree: true });
})`;
const SCRUB_TO = `(n) => {
  const input = document.querySelector('[data-testid="scrubber"]');
  window.__frameAt.clear();
  const t0 = performance.now();
  Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(input, String(n));
  input.dispatchEvent(new Event('input', { bubbles: true }));
  return (${WAIT_SHOWN})(n.toLocaleString('en-US'), t0);
}`;
const STEP_BACK = `() => {
  const shown = document.querySelector('[data-testid="event-index"]');
  const n = Number(shown.textContent.replace(/,/g, '')) - 1;
  window.__frameAt.clear();
  const t0 = performance.now();
  document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowLeft', bubbles: true }));
  return (${WAIT_SHOWN})(n.toLocaleString('en-US'), t0);
}`;

/**
 * Each preset played to its end, then scrubbed to random events and stepped back one event from
 * random places: milliseconds from the input event to the first frame painted after the event
 * index shows the target (the worker's restore and replay, the frame's trip and React's render),
 * and of that, the time to the worker's frame arriving on the main thread.
 */
export async function benchSeeks(page: Page, base: string): Promise<void> {
  await page.addInitScript(RECORD_FRAMES);
  const results = [];
  for (const id of PRESETS) {
    await page.goto(base);
    await page.getByTestId('run-status').waitFor();
    await page.getByTestId('preset').selectOption(id);
    // A compare preset opens on its comparison; its run is on the lab tab.
    if (findPreset(id)?.view === 'compare') await page.getByTestId('tab-lab').click({ timeout: 120_000 });
    await page.waitForFunction(`document.querySelector('[data-testid="run-status"]')?.textContent === 'paused'`);
    await page.keyboard.press('End');
    await page.waitForFunction(
      `document.querySelector('[data-testid="run-status"]')?.textContent === 'finished'`,
      null,
      {
        timeout: 120_000,
      },
    );
    const total = Number((await page.getByTestId('event-index').textContent())?.replace(/,/g, ''));
    // The worker may still have background work after End (the scenario's shape run, worker.ts
    // startShape); a seek in the first moments waits for it (VMLAB_BENCH_SETTLE_MS=0: up to 230 ms
    // on the checkpoint compare presets).
    await page.waitForTimeout(SETTLE_MS);
    const prng = Prng.stream(5, 'browser seeks');
    const seeks: [number, number][] = [];
    for (let i = 0; i < SEEKS; i++) seeks.push(await page.evaluate(`(${SCRUB_TO})(${prng.nextInt(total)})`));
    const backs: [number, number][] = [];
    for (let i = 0; i < STEP_BACKS; i++) {
      await page.evaluate(`(${SCRUB_TO})(${1 + prng.nextInt(total - 1)})`);
      backs.push(await page.evaluate(`(${STEP_BACK})()`));
    }
    const painted = (xs: [number, number][]) => xs.map((x) => x[0]);
    const fromWorker = (xs: [number, number][]) => xs.map((x) => x[1]);
    const r = {
      preset: id,
      events: total,
      seekMedianMs: round(percentile(painted(seeks), 50)),
      seekMaxMs: round(Math.max(...painted(seeks))),
      seekFrameArrivedMedianMs: round(percentile(fromWorker(seeks), 50)),
      stepBackMedianMs: round(percentile(painted(backs), 50)),
      stepBackMaxMs: round(Math.max(...painted(backs))),
      stepBackFrameArrivedMedianMs: round(percentile(fromWorker(backs), 50)),
    };
    results.push(r);
    process.stderr.write(
      `seek in Chromium ${id}: median ${r.seekMedianMs} ms (frame from the worker at ${r.seekFrameArrivedMedianMs}), max ${r.seekMaxMs} ms over ${total} events; step back median ${r.stepBackMedianMs} ms (frame at ${r.stepBackFrameArrivedMedianMs}), max ${r.stepBackMaxMs} ms (input to frame painted)\n`,
    );
  }
  process.stdout.write(`${JSON.stringify({ seeksInChromium: results }, null, 2)}\n`);
}
