import { MiB } from '../kernel/clock';
import { defineMechanism } from '../mechanismDefinition';
import { sectionOf, type WorldScenario } from '../scenario/fields';
import { POOL_BREAKPOINTS } from './breakpoints';
import { inspectExtent } from './inspect';
import { POOL_LESSONS } from './lessons';
import { PoolMechanism } from './mechanism';
import { poolMetrics } from './metrics';
import { POOL_PRESETS } from './presets';
import { POOL_REPORT } from './report';
import { checkPools, type PoolConfig, PoolSchema, type TempDiskConfig, TempDiskSchema } from './schema';
import { POOL_STRATEGIES } from './strategies';
import { poolView } from './view';

export { PoolMechanism } from './mechanism';
export { type PoolMetrics, poolMetrics } from './metrics';
export type { JobRecord, ShadowFailure } from './model';
export { ExtentState } from './poolFile';
export type { DiskView, PoolLabView, PoolView } from './view';

type VmWithTempDisk = WorldScenario['vms'][number] & { tempDisk?: TempDiskConfig };

/** Elastic temporary filesystem (US10241709B2): VMs' temp disks redirected into one shared pool file. */
export const pool = defineMechanism({
  id: 'pool',
  label: 'Elastic pool',
  key: 'pools',
  schema: PoolSchema,
  extends: { vms: { tempDisk: TempDiskSchema.optional() } },
  crossCheck: (s) => checkPools({ vms: s.vms as VmWithTempDisk[], pools: poolsOf(s) }),
  // Bytes are held only where written, at most the pool's size (and its growth).
  estimateBytes: (s) =>
    poolsOf(s).map((p) => ({
      item: `pool ${p.id}'s written extents (at most)`,
      bytes: (p.sizeMiB + (p.growMiB ?? 0)) * MiB,
    })),
  install: (world) => new PoolMechanism(world),
  metrics: (mechanism, now) => mechanism.pools.map((p) => poolMetrics(p, now)),
  view: (mechanism) => poolView(mechanism),
  transferables: (view) =>
    view.pools.flatMap((p) => [p.owner.buffer, p.state.buffer, p.stale.buffer, p.series.buffer]) as ArrayBuffer[],
  eventPrefixes: ['pool.', 'extent.', 'io.fail', 'io.queue'],
  subjectOf: (mechanism, event) => mechanism.subjectOf(event),
  breakpoints: POOL_BREAKPOINTS,
  variants: [
    ...(['fixed', 'thin-files', 'pool'] as const).map((strategy) => ({
      id: strategy,
      label: POOL_STRATEGIES[strategy].label,
      apply: (s: WorldScenario) => withFirstPool(s, { strategy }),
    })),
    {
      id: 'pool-error',
      label: 'pool, fail when full',
      apply: (s) => withFirstPool(s, { strategy: 'pool', whenFull: 'error' }),
    },
    {
      id: 'pool-queue',
      label: 'pool, queue when full',
      apply: (s) => withFirstPool(s, { strategy: 'pool', whenFull: 'queue' }),
    },
  ],
  presets: POOL_PRESETS,
  lessons: POOL_LESSONS,
  report: POOL_REPORT,
  inspect: (mechanism, query, sim) => inspectExtent(mechanism, query, sim),
});

function poolsOf(s: WorldScenario): PoolConfig[] {
  return sectionOf<PoolConfig>(s, 'pools');
}

function withFirstPool(s: WorldScenario, change: Partial<PoolConfig>): WorldScenario {
  const [first, ...rest] = poolsOf(s);
  return { ...s, pools: [{ ...first, ...change }, ...rest] };
}
