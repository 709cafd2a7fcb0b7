import { readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { ScenarioRun } from '../src/engine/run';
import { findPreset } from '../src/engine/scenario/presets';
import { parseScenario, resolveScenario } from '../src/engine/scenario/validate';
import { choosePreset, openApp, runToEnd } from './helpers';

async function save(page: Page, testId: string): Promise<{ name: string; bytes: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  const path = await download.path();
  return { name: download.suggestedFilename(), bytes: readFileSync(path) };
}

test('every export downloads and opens: PNG, SVG, CSV, JSON, the log and the event stream', async ({ page }) => {
  await openApp(page);
  await choosePreset(page, 'precopy-converges');
  await runToEnd(page);
  await page.locator('.export-menu summary').click();

  const png = await save(page, 'export-png');
  expect(png.bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  expect(png.bytes.readUInt32BE(16)).toBeGreaterThan(400); // width
  expect(png.bytes.readUInt32BE(20)).toBeGreaterThan(300); // height

  const svg = await save(page, 'export-svg');
  expect(svg.name).toMatch(/\.svg$/);
  expect(svg.bytes.toString('utf8')).toMatch(/^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);

  const csv = (await save(page, 'export-metrics-csv')).bytes.toString('utf8');
  expect(csv.split('\r\n')[0]).toMatch(/^vm,from,to,strategy,status,totalTimeMs,downtimeMs/);
  const rounds = (await save(page, 'export-rounds-csv')).bytes.toString('utf8');
  expect(rounds.split('\r\n')[0]).toMatch(/^vm,round,startMs/);

  const metrics = JSON.parse((await save(page, 'export-metrics-json')).bytes.toString('utf8'));
  expect(metrics.migration[0].verified).toBe(true);

  const scenario = JSON.parse((await save(page, 'export-scenario')).bytes.toString('utf8'));
  expect(parseScenario(scenario).ok).toBe(true);

  const log = (await save(page, 'export-log-csv')).bytes.toString('utf8');
  expect(log.split('\r\n')[0]).toBe('index,timeNs,kind,subject,level,text');
  expect(log).toContain('verified byte-equal');

  // The event stream is the CLI's --events: as many lines as the run has events, the first at i 0.
  const events = (await save(page, 'export-events')).bytes.toString('utf8').trim().split('\n');
  const run = new ScenarioRun(resolveScenario(findPreset('precopy-converges')?.scenario)).runToEnd();
  expect(events).toHaveLength(run.sim.eventIndex);
  run.dispose();
  const first = JSON.parse(events[0]);
  expect(first).toMatchObject({ i: 0, mechanism: expect.any(String), subject: expect.any(String) });
  expect(events.some((l) => JSON.parse(l).type === 'mig.start')).toBe(true);
});
