import { describe, expect, it } from 'vitest';
import { type EventRecord, observeEvents } from '../eventStream';
import { ScenarioRun } from '../run';
import { findPreset } from '../scenario/presets';
import type { ScenarioInput } from '../scenario/schema';
import { parseScenario, resolveScenario } from '../scenario/validate';
import { pool } from '.';
import type { PoolMechanism } from './mechanism';
import type { PoolMetrics } from './metrics';
import { POOL_PRESETS } from './presets';

function run(input: unknown, events?: EventRecord[]): { metrics: PoolMetrics; hash: string; mechanism: PoolMechanism } {
  const r = new ScenarioRun(resolveScenario(input));
  if (events) observeEvents(r, (e) => events.push(e));
  r.runToEnd();
  const mechanism = r.instance<PoolMechanism>(pool);
  if (!mechanism) throw new Error('pool not installed');
  const metrics = r.metrics().pools[0] as PoolMetrics;
  return { metrics, hash: r.sim.trace.hex(), mechanism };
}

function preset(id: string): ScenarioInput {
  const p = findPreset(id);
  if (!p) throw new Error(id);
  return structuredClone(p.scenario);
}

function withPool(input: ScenarioInput, change: Record<string, unknown>): ScenarioInput {
  const s = structuredClone(input) as ScenarioInput & { pools: Record<string, unknown>[] };
  s.pools[0] = { ...s.pools[0], ...change };
  return s;
}

describe('pool presets', () => {
  for (const p of POOL_PRESETS.filter((x) => x.view === 'lab')) {
    it(`${p.id}: runs to the end, every read verified, isolation held, same hash twice`, () => {
      const a = run(p.scenario);
      expect(a.metrics.verified).toBe(true);
      expect(a.metrics.isolationViolations).toBe(0);
      expect(a.metrics.extentsAllocated).toBe(a.metrics.extentsFreed);
      expect(a.metrics.usedMiB).toBe(0);
      expect(run(p.scenario).hash).toBe(a.hash);
    });
  }
});

describe('shapes: bursty jobs on fixed disks, thin files and the pool', () => {
  const burst = preset('pool-burst');
  it('the pool carries every job in far less than the sum of fixed disks', () => {
    const p = run(burst).metrics;
    expect(p.jobsFailed).toBe(0);
    expect(p.vmsNotStarted).toBe(0);
    expect(p.peakUsedMiB).toBeLessThan(0.15 * p.provisionedMiB);
    expect(p.peakUsedMiB).toBeLessThan(0.6 * p.sumOfVmPeaksMiB);
    expect(p.fixedShareFailures).toBeGreaterThan(0);
  });
  it('fixed disks of the configured size leave VMs off; fixed disks of the same total fail the big job', () => {
    const f = run(withPool(burst, { strategy: 'fixed' })).metrics;
    expect(f.vmsNotStarted).toBe(11);
    expect(f.jobsFailed).toBeGreaterThan(0);
    const sameTotal = structuredClone(burst);
    for (const vm of sameTotal.vms ?? [])
      (vm as unknown as { tempDisk: { sizeMiB: number } }).tempDisk.sizeMiB = 512 / 16;
    const s = run(withPool(sameTotal, { strategy: 'fixed' })).metrics;
    expect(s.vmsNotStarted).toBe(0);
    expect(s.jobsFailed).toBe(1);
    expect(s.vms.find((v) => v.failedJobs > 0)?.vm).toBe('vm5');
  });
  it('thin files never give deleted space back: used at the end equals the sum of VM peaks', () => {
    const t = run(withPool(preset('pool-reclaim'), { strategy: 'thin-files' })).metrics;
    expect(t.extentsFreed).toBe(0);
    expect(t.jobsFailed).toBeGreaterThan(0);
    const p = run(preset('pool-reclaim')).metrics;
    expect(p.jobsFailed).toBe(0);
  });
});

describe('when the pool is full', () => {
  it('error: only the writers see ENOSPC, every other job completes and reads back its bytes', () => {
    const events: EventRecord[] = [];
    const { metrics, mechanism } = run(preset('pool-fills-compare'), events);
    const fails = events.filter((e) => e.type === 'io.fail');
    expect(fails.length).toBeGreaterThan(0);
    expect(metrics.commandsFailed).toBe(fails.length);
    const failedVms = new Set(fails.map((e) => e.vm));
    for (const job of mechanism.pools[0].c.jobs)
      expect(job.status).toBe(failedVms.has(job.vm) ? 'failed' : 'completed');
    expect(metrics.verified).toBe(true);
  });
  it('queue: writes wait, then fail exactly queueTimeoutMs later when nothing frees space', () => {
    const input = withPool(preset('pool-fills-compare'), { whenFull: 'queue', queueTimeoutMs: 50 });
    for (const vm of input.vms ?? [])
      (vm as unknown as { tempDisk: { jobs: { holdMs: number }[] } }).tempDisk.jobs[0].holdMs = 400;
    const events: EventRecord[] = [];
    run(input, events);
    const queued = events.filter((e) => e.type === 'io.queue');
    const fails = events.filter((e) => e.type === 'io.fail');
    expect(queued.length).toBeGreaterThan(0);
    expect(fails.length).toBeGreaterThan(0);
    for (const f of fails) {
      const q = queued.findLast((e) => e.vm === f.vm && e.tNs <= f.tNs);
      expect(q && f.tNs - q.tNs).toBe(50_000_000);
    }
  });
  it('queue with a live grow: the queued writes go ahead and nothing fails', () => {
    const events: EventRecord[] = [];
    const { metrics } = run(preset('pool-fills'), events);
    expect(events.some((e) => e.type === 'io.queue')).toBe(true);
    expect(metrics.jobsFailed).toBe(0);
    expect(metrics.queuedMs).toBeGreaterThan(0);
    expect(metrics.sizeMiB).toBe(160);
  });
});

describe('the event stream alone', () => {
  it('every extent is allocated, then freed exactly once, by the VM that holds it', () => {
    for (const id of ['pool-burst', 'pool-fills', 'pool-reclaim']) {
      const events: EventRecord[] = [];
      run(preset(id), events);
      const holder = new Map<number, string>();
      for (const e of events) {
        if (e.type === 'extent.allocate') {
          expect(holder.has(e.extent as number), `extent ${e.extent} allocated twice`).toBe(false);
          holder.set(e.extent as number, e.vm as string);
        } else if (e.type === 'extent.free') {
          expect(holder.get(e.extent as number), `extent ${e.extent} freed by its holder`).toBe(e.vm);
          holder.delete(e.extent as number);
        }
        if (e.type.startsWith('extent.')) expect(e.subject).toBe('ds1');
        if (e.type.startsWith('io.')) expect(e.subject).toBe(e.vm);
      }
      expect(holder.size).toBe(0);
    }
  });
});

describe('scenario fields', () => {
  it('a temp disk naming a pool that does not exist is refused, naming the field', () => {
    const s = preset('pool-isolation') as unknown as { vms: { tempDisk: { pool: string } }[] };
    s.vms[1].tempDisk.pool = 'nope';
    const r = parseScenario(s);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors).toContainEqual({ path: 'vms[1].tempDisk.pool', message: 'no pool with id "nope"' });
  });
  it('unknown keys and bad extents are refused with the field named', () => {
    const s = withPool(preset('pool-isolation'), { extentKiB: 100, colour: 'red' });
    const r = parseScenario(s);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      const paths = r.errors.map((e) => e.path);
      expect(paths).toContain('pools[0].extentKiB');
      expect(r.errors.find((e) => e.path === 'pools[0]' || e.path === 'pools[0].colour')?.message).toMatch(
        /unknown field "colour"/,
      );
    }
  });
  it('growAtMs without growMiB is refused', () => {
    const r = parseScenario(withPool(preset('pool-isolation'), { growAtMs: 10 }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.path)).toContain('pools[0].growMiB');
  });
});
