import { mkdirSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { encodeLink } from '../src/engine/scenario/linkCodec';
import type { Scenario, ScenarioInput } from '../src/engine/scenario/schema';
import { resolveScenario } from '../src/engine/scenario/validate';
import { openApp, runToEnd } from './helpers';

const SHOTS = process.env.VMLAB_SHOTS_DIR ?? '/tmp/topo-shots';

const idleVm = (id: string, host: string) => ({
  id,
  host,
  memoryMiB: 16,
  diskMiB: 0,
  workload: { kind: 'idle' as const },
});

/** Four hosts in a ring of links (and a chord for the migration), six VMs, hostA's vm1 moving to hostC. */
const ring: ScenarioInput = {
  version: 1,
  seed: 3,
  name: 'Four hosts in a ring',
  hosts: ['hostA', 'hostB', 'hostC', 'hostD'].map((id) => ({ id })),
  links: [
    { a: 'hostA', b: 'hostB' },
    { a: 'hostB', b: 'hostC' },
    { a: 'hostC', b: 'hostD' },
    { a: 'hostD', b: 'hostA' },
    { a: 'hostA', b: 'hostC', bandwidthMiBps: 64 },
  ],
  vms: [
    idleVm('vm1', 'hostA'),
    idleVm('vm2', 'hostA'),
    idleVm('vm3', 'hostB'),
    idleVm('vm4', 'hostC'),
    idleVm('vm5', 'hostC'),
    idleVm('vm6', 'hostD'),
  ],
  migrations: [{ vm: 'vm1', to: 'hostC', atMs: 10, strategy: 'precopy' }],
};

/** The limits: 16 hosts, 32 VMs, a ring of links and chords across it. */
const hosts16 = Array.from({ length: 16 }, (_, i) => `host-${String(i + 1).padStart(2, '0')}`);
const extreme: ScenarioInput = {
  version: 1,
  seed: 5,
  name: 'Sixteen hosts, thirty-two VMs',
  hosts: hosts16.map((id) => ({ id })),
  links: [
    ...hosts16.map((a, i) => ({ a, b: hosts16[(i + 1) % 16] })),
    ...hosts16.slice(0, 8).map((a, i) => ({ a, b: hosts16[i + 8] })),
    ...hosts16.slice(0, 4).map((a, i) => ({ a, b: hosts16[i + 5] })),
  ],
  // Uneven on purpose: one host holds eight VMs, some none.
  vms: Array.from({ length: 32 }, (_, i) =>
    idleVm(`vm-${String(i + 1).padStart(2, '0')}`, i < 8 ? hosts16[2] : hosts16[(i * 7) % 13]),
  ),
  migrations: [{ vm: 'vm-01', to: hosts16[10], atMs: 10 }],
};

function linkTo(scenario: ScenarioInput): string {
  return `/${encodeLink({ scenario: resolveScenario(scenario) as Scenario, position: 0, lab: 'migration', view: 'lab' })}`;
}

interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

const inside = (outer: Rect, inner: Rect) =>
  inner.x >= outer.x - 0.5 &&
  inner.y >= outer.y - 0.5 &&
  inner.x + inner.width <= outer.x + outer.width + 0.5 &&
  inner.y + inner.height <= outer.y + outer.height + 0.5;
const overlap = (a: Rect, b: Rect) =>
  a.x < b.x + b.width - 0.5 && b.x < a.x + a.width - 0.5 && a.y < b.y + b.height - 0.5 && b.y < a.y + a.height - 0.5;

async function box(page: Page, selector: string): Promise<Rect> {
  const rect = await page.locator(selector).boundingBox();
  expect(rect, selector).not.toBeNull();
  return rect as Rect;
}

/** Every VM's box and texts inside its host's box, host boxes apart, VM boxes apart. */
async function expectTidy(page: Page, vms: { id: string; host: string }[]) {
  const hostIds = [...new Set(vms.map((v) => v.host))];
  const hostIdsAll = await page
    .locator('[data-host]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-host')));
  const hostBoxes = new Map<string, Rect>();
  for (const id of hostIdsAll) hostBoxes.set(id as string, await box(page, `[data-host="${id}"] rect`));
  for (const id of hostIds) expect(hostBoxes.has(id), `host ${id} drawn`).toBe(true);
  const hostList = [...hostBoxes.entries()];
  for (let i = 0; i < hostList.length; i++)
    for (let j = i + 1; j < hostList.length; j++)
      expect(overlap(hostList[i][1], hostList[j][1]), `${hostList[i][0]} / ${hostList[j][0]}`).toBe(false);

  const vmBoxes: [string, Rect][] = [];
  for (const vm of vms) {
    const rect = await box(page, `[data-vm="${vm.id}"] rect`);
    expect(inside(hostBoxes.get(vm.host) as Rect, rect), `${vm.id} inside ${vm.host}`).toBe(true);
    for (const text of await page.locator(`[data-vm="${vm.id}"] text`).all()) {
      expect(inside(rect, (await text.boundingBox()) as Rect), `${vm.id}'s label inside its box`).toBe(true);
    }
    vmBoxes.push([vm.id, rect]);
  }
  for (let i = 0; i < vmBoxes.length; i++)
    for (let j = i + 1; j < vmBoxes.length; j++)
      expect(overlap(vmBoxes[i][1], vmBoxes[j][1]), `${vmBoxes[i][0]} / ${vmBoxes[j][0]}`).toBe(false);
  for (const [id, rect] of hostList) {
    const label = await box(page, `[data-host="${id}"] text`);
    expect(inside(rect, label), `${id}'s label inside its box`).toBe(true);
  }
}

/** For each link: the hosts its drawn path passes through (sampled along the path, in screen pixels). */
async function hostsCrossed(page: Page): Promise<Record<string, string[]>> {
  return page.locator('[data-testid="topology"]').evaluate((svg) => {
    const hostRects = [...svg.querySelectorAll('[data-host]')].map((g) => ({
      id: g.getAttribute('data-host') as string,
      r: (g.querySelector('rect') as SVGRectElement).getBoundingClientRect(),
    }));
    const out: Record<string, string[]> = {};
    for (const g of svg.querySelectorAll('[data-link]')) {
      const path = g.querySelector('path') as SVGPathElement;
      const ctm = path.getScreenCTM() as DOMMatrix;
      const length = path.getTotalLength();
      const crossed = new Set<string>();
      for (let d = 0; d <= length; d += 2) {
        const p = new DOMPoint(path.getPointAtLength(d).x, path.getPointAtLength(d).y).matrixTransform(ctm);
        for (const { id, r } of hostRects)
          if (p.x > r.left + 1 && p.x < r.right - 1 && p.y > r.top + 1 && p.y < r.bottom - 1) crossed.add(id);
      }
      out[g.getAttribute('data-link') as string] = [...crossed];
    }
    return out;
  });
}

/** Link labels' glyph boxes (getBBox: the text itself, not its halo) in screen pixels, none over another. */
async function expectLinkLabelsApart(page: Page) {
  const labels = await page.locator('[data-testid="topology"]').evaluate((svg) =>
    [...svg.querySelectorAll<SVGTextElement>('[data-link] text')]
      .filter((t) => t.textContent)
      .map((t) => {
        const b = t.getBBox();
        const m = t.getScreenCTM() as DOMMatrix;
        const p = new DOMPoint(b.x, b.y).matrixTransform(m);
        return {
          text: t.textContent as string,
          rect: { x: p.x, y: p.y, width: b.width * m.a, height: b.height * m.d },
        };
      }),
  );
  for (let i = 0; i < labels.length; i++)
    for (let j = i + 1; j < labels.length; j++)
      expect(overlap(labels[i].rect, labels[j].rect), `"${labels[i].text}" / "${labels[j].text}"`).toBe(false);
}

const vmsOf = (s: ScenarioInput) => (s.vms ?? []).map((v) => ({ id: v.id, host: v.host }));

test.beforeEach(async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
});

test('four hosts in a ring, six VMs: each VM in its host, links around the hosts between theirs', async ({ page }) => {
  for (const viewport of [
    { width: 1440, height: 900 },
    { width: 1280, height: 720 },
  ]) {
    await page.setViewportSize(viewport);
    await openApp(page, linkTo(ring));
    await expect(page.locator('[data-vm]')).toHaveCount(6);
    await expect(page.locator('[data-link]')).toHaveCount(5);
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: `${SHOTS}/ring-${viewport.width}x${viewport.height}.png` });
    await expectTidy(page, vmsOf(ring));
    const crossed = await hostsCrossed(page);
    for (const [link, hosts] of Object.entries(crossed)) expect(hosts, `link ${link} crosses no host`).toEqual([]);
    await expectLinkLabelsApart(page);
  }
  // After the migration vm1 sits in hostC with vm4 and vm5.
  await runToEnd(page);
  await expectTidy(
    page,
    vmsOf(ring).map((v) => (v.id === 'vm1' ? { ...v, host: 'hostC' } : v)),
  );
  await page.screenshot({ path: `${SHOTS}/ring-after-1280x720.png` });
});

test('sixteen hosts and thirty-two VMs fit the panel with nothing on top of anything', async ({ page }) => {
  for (const viewport of [
    { width: 1440, height: 900 },
    { width: 1280, height: 720 },
  ]) {
    await page.setViewportSize(viewport);
    await openApp(page, linkTo(extreme));
    await expect(page.locator('[data-vm]')).toHaveCount(32);
    await expect(page.locator('[data-host]')).toHaveCount(16);
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: `${SHOTS}/extreme-${viewport.width}x${viewport.height}.png`, fullPage: true });
    await expectTidy(page, vmsOf(extreme));
    for (const [link, hosts] of Object.entries(await hostsCrossed(page)))
      expect(hosts, `link ${link} crosses no host`).toEqual([]);
    await expectLinkLabelsApart(page);
    const svg = await box(page, '[data-testid="topology"]');
    const panel = await box(page, '.main-column');
    expect(svg.width).toBeLessThanOrEqual(panel.width);
  }
});

test('the default preset still draws its two hosts, link and VM', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await openApp(page);
  await expect(page.locator('[data-host]')).toHaveCount(2);
  await expect(page.locator('[data-link="hostA-hostB"] path')).toHaveAttribute('d', /^M[\d.]+,[\d.]+ L/);
  await expect(page.locator('[data-link="hostA-hostB"]')).toContainText('128 MiB/s');
  await expectTidy(page, [{ id: 'vm1', host: 'hostA' }]);
  await page.screenshot({ path: `${SHOTS}/default-1280x720.png` });
  // Mid-copy: the link streams and the stopped VM shows paused.
  for (let i = 0; i < 5; i++) await page.getByTitle('Step 100 events').click();
  await expect(page.locator('[data-link="hostA-hostB"]')).toContainText('streaming');
  await expect(page.locator('[data-vm="vm1"]')).toHaveClass(/vm-paused/);
  await page.screenshot({ path: `${SHOTS}/default-streaming-1280x720.png` });
  await runToEnd(page);
  await expectTidy(page, [{ id: 'vm1', host: 'hostB' }]);
});
