import { describe, expect, it } from 'vitest';
import { barOffset, readConfig } from '../hw/pciConfig';
import type { SimEvent } from '../kernel/eventQueue';
import { MigrationMechanism } from '../migration/mechanism';
import { passthrough } from '.';
import { deviceScenario, runWorld } from './fixtures';

const vm = (id: string, host = 'hostA') => ({
  id,
  host,
  memoryMiB: 16,
  diskMiB: 0,
  workload: { kind: 'hotset', dirtyMiBps: 2 },
});
const twoHosts = {
  hosts: [{ id: 'hostA' }, { id: 'hostB' }],
  links: [{ a: 'hostA', b: 'hostB', bandwidthMiBps: 256, latencyUs: 100 }],
};

function run(device: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const s = deviceScenario({
    vms: [vm('vm1')],
    devices: [{ id: 'nic0', host: 'hostA', model: 'e1000e', vm: 'vm1', ...device }],
    durationMs: 4,
    ...extra,
  });
  const events: SimEvent[] = [];
  const r = runWorld(s);
  r.world.sim.observer = (_i, _t, e) => events.push(e);
  r.world.sim.runUntil();
  return { ...r, events, metrics: passthrough.metrics(r.pt, r.world.sim.now) };
}

describe('exits per access', () => {
  it('emulated: at least one exit per config access and per MMIO access', () => {
    const { metrics } = run({ strategy: 'emulated' });
    const m = metrics[0];
    expect(m.ios).toBeGreaterThan(10);
    expect(m.vmExits).toBeGreaterThanOrEqual(m.configReads + m.configWrites + m.mmioTrapped);
    expect(m.exitsPerIo).toBeGreaterThanOrEqual(2);
    expect(m.verified).toBe(true);
  });
  it('passthrough non-trap: no exit on the data path; trap: one per MMIO access', () => {
    const direct = run({ strategy: 'passthrough', trap: false }).metrics[0];
    const trap = run({ strategy: 'passthrough', trap: true }).metrics[0];
    expect(direct.exitsPerIo).toBe(0);
    expect(trap.exitsPerIo).toBe(2);
    expect(direct.ioLatencyUs.p50).toBeLessThan(trap.ioLatencyUs.p50);
    expect(direct.verified && trap.verified).toBe(true);
  });
  it('--events carry config.read and config.write with offset, size, value and path', () => {
    const { events } = run({});
    const w = events.find((e) => e.type === 'config.write' && e.offset === 0x10 && e.value === 0xffffffff);
    expect(w).toMatchObject({ size: 4, path: 'virtual' });
    const readBack = events[events.indexOf(w as SimEvent) + 1];
    expect(readBack).toMatchObject({ type: 'config.read', offset: 0x10, value: 0xfffe0000, path: 'virtual' });
    expect(events.some((e) => e.type === 'config.read' && e.offset === 0x18 && e.value === 0xffffffe1)).toBe(true);
  });
});

describe('direct-unsafe', () => {
  it('no IOMMU: DMA lands in another VM and the run is not verified', () => {
    const s = deviceScenario({
      vms: [vm('vm2'), vm('vm1')],
      devices: [{ id: 'nic0', host: 'hostA', model: 'e1000e', vm: 'vm1', strategy: 'direct-unsafe', iommu: false }],
      durationMs: 3,
    });
    const { world, pt } = runWorld(s);
    const vm2Before = world.vm('vm2').memory.bytes.slice();
    world.sim.runUntil();
    const m = passthrough.metrics(pt, world.sim.now)[0];
    expect(m.verified).toBe(false);
    expect(m.note).toMatch(/vm2's memory/);
    expect(m.note).toMatch(/moving the host's device/);
    expect(world.vm('vm2').memory.bytes).not.toEqual(vm2Before);
  });
  it('IOMMU on: every DMA is blocked and counted', () => {
    const { metrics, events } = run({ strategy: 'direct-unsafe', iommu: true });
    expect(metrics[0].iommuBlocked).toBe(metrics[0].ios);
    expect(events.filter((e) => e.type === 'dma.blocked').length).toBe(metrics[0].ios);
    expect(metrics[0].dmaBytes).toBe(0);
  });
});

describe('migration of a VM with a passthrough device', () => {
  const scenario = (passthroughMode?: string) =>
    deviceScenario({
      ...twoHosts,
      vms: [vm('vm1')],
      devices: [
        { id: 'nic0', host: 'hostA', model: 'e1000e', vm: 'vm1' },
        { id: 'nic1', host: 'hostB', model: 'e1000e' },
      ],
      migrations: [{ vm: 'vm1', to: 'hostB', atMs: 1, ...(passthroughMode ? { passthrough: passthroughMode } : {}) }],
      durationMs: 200,
    });

  it('is refused when it would start, naming the device and the reason', () => {
    const { world, pt } = runWorld(scenario());
    world.sim.runUntil();
    const mig = findMigration(world);
    expect(mig.runs[0].s.status).toBe('refused');
    expect(mig.runs[0].s.note).toMatch(/VFIO device nic0 .* doesn't support migration/);
    expect(mig.runs[0].s.note).toMatch(/dirty log/);
    expect(world.vm('vm1').host).toBe('hostA');
    expect(pt.runs[0].s.fallback).toBe(false);
  });

  it('with detach migrates byte-equal and the spare gets the virtual config restored', () => {
    const { world, pt } = runWorld(scenario('detach'));
    const [nic0, nic1] = pt.runs;
    world.sim.runUntil({ predicate: () => nic0.s.fallback });
    const copied = nic0.vconfig.slice();
    world.sim.runUntil();
    const mig = findMigration(world);
    expect(mig.runs[0].s.status).toBe('completed');
    expect(mig.runs[0].s.verified).toBe(true);
    expect(world.vm('vm1').host).toBe('hostB');
    expect(nic1.s.vm).toBe('vm1');
    expect(nic1.s.restoredFrom).toBe('nic0');
    expect(nic1.s.ios).toBeGreaterThan(0);
    // The guest sees the same BARs; the hardware sits elsewhere on hostB.
    for (const b of nic0.model.bars) {
      const at = barOffset(b.index);
      expect(readConfig(nic1.vconfig, at, 4)).toBe(readConfig(nic0.vconfig, at, 4));
      expect(readConfig(nic1.phys.cfg, at, 4)).not.toBe(readConfig(nic1.vconfig, at, 4));
    }
    for (let i = 0; i < nic1.vconfig.length; i++) {
      const virt = nic1.policy.virt[i];
      if ((nic1.vconfig[i] & virt) !== (copied[i] & virt)) throw new Error(`byte ${i} differs`);
    }
    expect(nic1.vtable).toEqual(nic0.vtable);
    const m = passthrough.metrics(pt, world.sim.now);
    expect(m[0].segments.map((g) => g.label)).toEqual(['passthrough, non-trap', 'emulated fallback']);
    expect(m[0].segments[1].exits / m[0].segments[1].ios).toBe(3);
    expect(m.every((d) => d.verified)).toBe(true);
  });
});

describe('snapshot and restore', () => {
  it('a restored run continues exactly like an uninterrupted one', () => {
    const a = runWorld(
      deviceScenario({
        vms: [vm('vm1')],
        devices: [{ id: 'nic0', host: 'hostA', model: 'e1000e', vm: 'vm1' }],
        durationMs: 3,
      }),
    );
    a.world.sim.runUntil({ eventIndex: 60 });
    const snap = a.world.sim.snapshot();
    a.world.sim.runUntil();
    const end = { hash: a.world.sim.trace.hex(), m: passthrough.metrics(a.pt, a.world.sim.now) };
    a.world.sim.restore(snap);
    a.world.sim.runUntil();
    expect(a.world.sim.trace.hex()).toBe(end.hash);
    expect(passthrough.metrics(a.pt, a.world.sim.now)).toEqual(end.m);
  });
});

function findMigration(world: unknown): MigrationMechanism {
  const mechs = (world as { mechanisms: unknown[] }).mechanisms;
  return mechs.find((m) => m instanceof MigrationMechanism) as MigrationMechanism;
}
