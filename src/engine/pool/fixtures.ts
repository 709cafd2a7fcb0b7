import { z } from 'zod';
import { HostSchema, VmSchema, type WorldScenario } from '../scenario/fields';
import { World } from '../world/world';
import { PoolMechanism } from './mechanism';
import { checkPools, PoolSchema, type TempDiskConfig, TempDiskSchema } from './schema';

export interface PoolTestOptions {
  vms: number;
  sizeMiB?: number;
  tempDiskMiB?: number;
  strategy?: 'fixed' | 'thin-files' | 'pool';
  whenFull?: 'error' | 'queue';
  zeroOnAllocate?: boolean;
  queueTimeoutMs?: number;
  growAtMs?: number;
  growMiB?: number;
  extentKiB?: number;
  jobs: (vm: number) => z.input<typeof TempDiskSchema>['jobs'];
  seed?: number;
}

/** A scenario input: `n` small idle VMs on one host, each with a temp disk in pool `p`. */
export function poolScenario(o: PoolTestOptions) {
  return {
    version: 1,
    seed: o.seed ?? 1,
    hosts: [{ id: 'h1', cpus: 64 }],
    vms: Array.from({ length: o.vms }, (_, i) => ({
      id: `vm${i + 1}`,
      host: 'h1',
      memoryMiB: 16,
      diskMiB: 0,
      memoryFill: 0,
      workload: { kind: 'idle' as const, dirtyMiBps: 0 },
      tempDisk: { pool: 'p', sizeMiB: o.tempDiskMiB ?? 64, jobs: o.jobs(i) },
    })),
    pools: [
      {
        id: 'p',
        sizeMiB: o.sizeMiB ?? 256,
        strategy: o.strategy ?? 'pool',
        whenFull: o.whenFull ?? 'error',
        zeroOnAllocate: o.zeroOnAllocate ?? true,
        ...(o.extentKiB ? { extentKiB: o.extentKiB } : {}),
        ...(o.queueTimeoutMs !== undefined ? { queueTimeoutMs: o.queueTimeoutMs } : {}),
        ...(o.growAtMs !== undefined ? { growAtMs: o.growAtMs, growMiB: o.growMiB } : {}),
      },
    ],
  };
}

const TestScenario = z.object({
  version: z.number(),
  seed: z.number(),
  hosts: z.array(HostSchema),
  vms: z.array(VmSchema.extend({ tempDisk: TempDiskSchema.optional() })),
  pools: z.array(PoolSchema),
});

/** Build and run a pool scenario on a bare World (no registry needed). */
export function runPoolWorld(input: unknown): { world: World; pool: PoolMechanism } {
  const parsed = TestScenario.parse(input);
  const errors = checkPools(parsed as { vms: { id: string; tempDisk?: TempDiskConfig }[]; pools: typeof parsed.pools });
  if (errors.length) throw new Error(JSON.stringify(errors));
  const scenario: WorldScenario = { ...parsed, links: [], maxEvents: 5_000_000 };
  const world = new World(scenario);
  const pool = new PoolMechanism(world);
  pool.start();
  world.start();
  world.sim.runUntil();
  return { world, pool };
}
