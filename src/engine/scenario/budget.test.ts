import { describe, expect, it } from 'vitest';
import {
  CLI_BUDGET_BYTES,
  checkBudget,
  estimateScenarioBytes,
  KEYFRAME_ITEM,
  TAB_BUDGET_BYTES,
  TAB_LARGEST_BUFFER_BYTES,
} from './budget';
import { LIMITS } from './limits';
import { PRESETS } from './presets';
import { resolveScenario } from './validate';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/** Two VMs on hostA; vm1 migrates to hostB (the destination holds a copy of its memory). */
function scenario(o: { mem1?: number; disk1?: number; mem2?: number; disk2?: number; local?: boolean } = {}) {
  return resolveScenario({
    version: 1,
    hosts: [{ id: 'hostA' }, { id: 'hostB' }],
    links: [{ a: 'hostA', b: 'hostB' }],
    vms: [
      { id: 'vm1', host: 'hostA', memoryMiB: o.mem1 ?? 4096, diskMiB: o.disk1 ?? 0 },
      { id: 'vm2', host: 'hostA', memoryMiB: o.mem2 ?? 1024, diskMiB: o.disk2 ?? 64 },
    ],
    migrations: [{ vm: 'vm1', to: 'hostB', storage: o.local ? 'local' : 'shared' }],
  });
}

describe('estimateScenarioBytes', () => {
  it('sums each VM, each mechanism and the keyframes, item by item', () => {
    const e = estimateScenarioBytes(scenario({ disk1: 512, local: true }), GiB);
    expect(e.items).toEqual([
      { item: "vm1's memory", bytes: 4096 * MiB },
      { item: "vm1's disk", bytes: 512 * MiB },
      { item: "vm2's memory", bytes: 1024 * MiB },
      { item: "vm2's disk", bytes: 64 * MiB },
      { item: "the destination's copy of vm1's memory", bytes: 4096 * MiB },
      { item: "the destination's copy of vm1's disk", bytes: 512 * MiB },
      { item: KEYFRAME_ITEM, bytes: GiB },
    ]);
    expect(e.total).toBe((4096 + 512 + 1024 + 64 + 4096 + 512 + 1024) * MiB);
  });

  it('leaves out empty disks and a zero keyframe budget', () => {
    const e = estimateScenarioBytes(scenario({ disk2: 0 }), 0);
    expect(e.items.map((i) => i.item)).toEqual([
      "vm1's memory",
      "vm2's memory",
      "the destination's copy of vm1's memory",
    ]);
  });

  it('is fast and allocates nothing big, even for the largest scenario the limits allow', () => {
    const vms = Array.from({ length: LIMITS.vms }, (_, i) => ({
      id: `vm${i}`,
      host: 'hostA',
      memoryMiB: 200,
      diskMiB: 50,
    }));
    const big = resolveScenario({
      version: 1,
      hosts: [{ id: 'hostA' }, { id: 'hostB' }],
      links: [{ a: 'hostA', b: 'hostB' }],
      vms,
      migrations: vms.map((v) => ({ vm: v.id, to: 'hostB', storage: 'local' })),
    });
    const heap = process.memoryUsage().heapUsed;
    const external = process.memoryUsage().arrayBuffers;
    for (let i = 0; i < 1000; i++) checkBudget(big, 1, GiB);
    expect(process.memoryUsage().arrayBuffers - external).toBeLessThan(MiB);
    expect(process.memoryUsage().heapUsed - heap).toBeLessThan(64 * MiB);
    expect(estimateScenarioBytes(big, 0).items).toHaveLength(LIMITS.vms * 4);
  });
});

describe('checkBudget', () => {
  it('passes a scenario within the budget', () => {
    expect(checkBudget(scenario(), 16 * GiB, GiB)).toEqual([]);
    const e = estimateScenarioBytes(scenario(), GiB);
    expect(checkBudget(scenario(), e.total, GiB)).toEqual([]);
    expect(checkBudget(scenario(), e.total - 1, GiB)).toHaveLength(1);
  });

  it('refuses one over budget with one message naming the three biggest items and the budget', () => {
    expect(checkBudget(scenario({ mem2: 2048 }), 3 * GiB, GiB)).toEqual([
      {
        path: 'vms',
        message:
          "this scenario needs about 11.1 GiB (vm1's memory 4096 MiB, the destination's copy of vm1's memory " +
          "4096 MiB, vm2's memory 2048 MiB, and 2 more), over this tab's budget of 3 GiB; " +
          'give the VMs less memory or smaller disks',
      },
    ]);
  });

  it('names whose budget it is, and lists few items without "more"', () => {
    const s = resolveScenario({
      version: 1,
      hosts: [{ id: 'h' }],
      vms: [{ id: 'big', host: 'h', memoryMiB: 3000, diskMiB: 0 }],
    });
    const [e] = checkBudget(s, 2.5 * GiB, 0, "the command line's budget");
    expect(e.message).toBe(
      "this scenario needs about 2.9 GiB (big's memory 3000 MiB), over the command line's budget of 2.5 GiB; " +
        'give the VMs less memory or smaller disks',
    );
  });

  it('lets every preset run in a tab and on the command line', () => {
    for (const p of PRESETS) {
      const s = resolveScenario(p.scenario);
      expect(checkBudget(s, TAB_BUDGET_BYTES, GiB), p.id).toEqual([]);
      expect(checkBudget(s, CLI_BUDGET_BYTES, 0), p.id).toEqual([]);
    }
  });

  it('refuses in a tab the biggest scenario the limits allow (every VM migrating)', () => {
    const half = LIMITS.totalMemoryMiB / 2;
    const s = resolveScenario({
      version: 1,
      hosts: [{ id: 'hostA' }, { id: 'hostB' }],
      links: [{ a: 'hostA', b: 'hostB' }],
      vms: [
        { id: 'vm1', host: 'hostA', memoryMiB: half, diskMiB: 0 },
        { id: 'vm2', host: 'hostA', memoryMiB: half, diskMiB: 0 },
      ],
      migrations: [
        { vm: 'vm1', to: 'hostB' },
        { vm: 'vm2', to: 'hostB' },
      ],
    });
    expect(checkBudget(s, TAB_BUDGET_BYTES, GiB)).toHaveLength(1);
    expect(checkBudget(s, CLI_BUDGET_BYTES, 0)).toEqual([]);
  });

  it('the budgets are ordered as measured', () => {
    expect(TAB_LARGEST_BUFFER_BYTES).toBeLessThan(TAB_BUDGET_BYTES);
    expect(TAB_BUDGET_BYTES).toBeLessThan(CLI_BUDGET_BYTES);
  });
});
