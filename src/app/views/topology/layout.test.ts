import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../../engine/scenario/limits';
import { type Box, boxContains, boxesOverlap, insideBox, onBoxBorder, samplePath } from './geometry';
import { chooseColumns, type LayoutInput, layoutTopology, SIZES, type TopologyLayout } from './layout';
import { fitText, textWidth } from './text';

const scenarioArb: fc.Arbitrary<LayoutInput> = fc
  .record({
    hostCount: fc.integer({ min: 1, max: LIMITS.hosts }),
    width: fc.integer({ min: 320, max: 1800 }),
    vms: fc.array(
      fc.record({
        host: fc.nat(),
        moving: fc.option(fc.record({ to: fc.nat(), progress: fc.double({ min: 0, max: 1, noNaN: true }) })),
      }),
      { maxLength: LIMITS.vms },
    ),
    links: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: LIMITS.links }),
  })
  .map(({ hostCount, width, vms, links }) => {
    const hosts = Array.from({ length: hostCount }, (_, i) => `host-${i}`);
    const pick = (n: number) => hosts[n % hostCount];
    return {
      width,
      hosts,
      vms: vms.map((vm, i) => ({
        id: `vm-${i}`,
        host: pick(vm.host),
        ...(vm.moving ? { moving: { to: pick(vm.moving.to), progress: vm.moving.progress } } : {}),
      })),
      links: links.filter(([a, b]) => pick(a) !== pick(b)).map(([a, b]) => ({ a: pick(a), b: pick(b) })),
    };
  });

function pairs<T>(xs: T[]): [T, T][] {
  return xs.flatMap((x, i) => xs.slice(i + 1).map((y): [T, T] => [x, y]));
}

function hostBox(layout: TopologyLayout, id: string): Box {
  return layout.hosts.find((h) => h.id === id) as Box;
}

/** The boxes of VMs that are not moving, and of the slots moving VMs will take. */
function slotBoxes(input: LayoutInput, layout: TopologyLayout): { box: Box; host: string }[] {
  return layout.vms.flatMap((vm) => {
    const moving = input.vms.find((v) => v.id === vm.id)?.moving;
    if (!vm.target) return [{ box: vm, host: vm.host }];
    return [{ box: vm.target, host: moving?.to as string }];
  });
}

function atStart(input: LayoutInput): LayoutInput {
  return { ...input, vms: input.vms.map((v) => (v.moving ? { ...v, moving: { ...v.moving, progress: 0 } } : v)) };
}

describe('layoutTopology', () => {
  it('keeps hosts apart, VMs in their hosts, links between their own hosts, labels apart', () => {
    fc.assert(
      fc.property(scenarioArb, (input) => {
        const layout = layoutTopology(input);
        expect(layout.hosts).toHaveLength(input.hosts.length);
        expect(layout.vms).toHaveLength(input.vms.length);
        expect(layout.links).toHaveLength(input.links.length);

        for (const [a, b] of pairs(layout.hosts)) expect(boxesOverlap(a, b), `${a.id} / ${b.id}`).toBe(false);
        for (const h of layout.hosts)
          expect(boxContains({ x: 0, y: 0, w: layout.width, h: layout.height }, h)).toBe(true);

        const slots = slotBoxes(input, layout);
        for (const s of slots) expect(boxContains(hostBox(layout, s.host), s.box)).toBe(true);
        for (const [a, b] of pairs(slots)) expect(boxesOverlap(a.box, b.box)).toBe(false);

        const start = layoutTopology(atStart(input));
        for (const vm of start.vms) expect(boxContains(hostBox(start, vm.host), vm)).toBe(true);
        for (const [a, b] of pairs([...start.vms, ...start.vms.flatMap((v) => (v.target ? [v.target] : []))]))
          expect(boxesOverlap(a, b)).toBe(false);

        for (const link of layout.links) {
          const [ends, first, last] = [[link.a, link.b], link.points[0], link.points[link.points.length - 1]];
          const [ha, hb] = ends.map((id) => hostBox(layout, id));
          const joins =
            (onBoxBorder(first, ha) && onBoxBorder(last, hb)) || (onBoxBorder(first, hb) && onBoxBorder(last, ha));
          expect(joins, `link ${link.a}-${link.b} ends on its hosts`).toBe(true);
          const samples = samplePath(link.points, SIZES.corner);
          const crossed = layout.hosts.filter((h) => samples.some((p) => insideBox(p, h))).map((h) => h.id);
          expect(crossed, `hosts link ${link.a}-${link.b} crosses`).toEqual([]);
        }

        for (const link of layout.links) {
          if (!link.leader) continue;
          const samples = samplePath(link.leader, 0);
          expect(layout.hosts.filter((h) => samples.some((p) => insideBox(p, h)))).toEqual([]);
          const others = layout.links.filter((l) => l !== link).map((l) => l.label.box);
          expect(others.filter((b) => samples.some((p) => insideBox(p, b)))).toEqual([]);
        }

        const labels = layout.links.map((l) => l.label.box);
        for (const [a, b] of pairs(labels)) expect(boxesOverlap(a, b)).toBe(false);
        for (const label of labels) {
          for (const h of layout.hosts) expect(boxesOverlap(label, h)).toBe(false);
          expect(boxContains({ x: 0, y: 0, w: layout.width, h: layout.height }, label)).toBe(true);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('fits the panel width, with a column count that progress does not change', () => {
    fc.assert(
      fc.property(scenarioArb, (input) => {
        expect(layoutTopology(input).width).toBe(input.width);
        // The component keeps the column count while only a moving VM's progress changes.
        expect(chooseColumns(atStart(input))).toBe(chooseColumns(input));
      }),
      { numRuns: 100 },
    );
  });

  it('moves a migrating VM from its slot on the source to its slot on the destination', () => {
    const input = (progress: number): LayoutInput => ({
      width: 900,
      hosts: ['a', 'b'],
      vms: [{ id: 'vm', host: 'a', moving: { to: 'b', progress } }],
      links: [{ a: 'a', b: 'b' }],
    });
    const [start, half, end] = [0, 0.5, 1].map((p) => layoutTopology(input(p)).vms[0]);
    expect(boxContains(layoutTopology(input(0)).hosts[0], start)).toBe(true);
    expect(end.x).toBeCloseTo(end.target?.x ?? Number.NaN);
    expect(half.x).toBeCloseTo((start.x + end.x) / 2);
    const arrived = layoutTopology({ ...input(1), vms: [{ id: 'vm', host: 'b' }] }).vms[0];
    expect([arrived.x, arrived.y]).toEqual([end.x, end.y]);
  });

  it('draws the link from the first to the third host of a row around the second (the issue 8 case)', () => {
    const layout = layoutTopology({
      width: 1000,
      hosts: ['hostA', 'hostB', 'hostC'],
      vms: ['hostA', 'hostB', 'hostC'].map((host, i) => ({ id: `vm${i}`, host })),
      links: [
        { a: 'hostA', b: 'hostB' },
        { a: 'hostB', b: 'hostC' },
        { a: 'hostA', b: 'hostC' },
      ],
    });
    expect(layout.hosts.map((h) => h.row)).toEqual([0, 0, 0]);
    const around = layout.links[2];
    expect(around.points.length).toBeGreaterThan(2);
    const middle = layout.hosts[1];
    expect(Math.min(...around.points.map((p) => p.y))).toBeLessThan(middle.y);
    for (const vm of layout.vms) expect(boxContains(hostBox(layout, vm.host), vm)).toBe(true);
  });
});

describe('fitText', () => {
  it('keeps text that fits and cuts the rest with an ellipsis within the width', () => {
    expect(fitText('vm-1', 200, 11)).toBe('vm-1');
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), fc.integer({ min: 0, max: 300 }), (text, width) => {
        const fitted = fitText(text, width, 11);
        expect(textWidth(fitted, 11)).toBeLessThanOrEqual(width);
        if (fitted !== text && fitted !== '') expect(fitted.endsWith('…')).toBe(true);
      }),
    );
  });
});
