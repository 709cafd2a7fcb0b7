import { z } from 'zod';
import { id, timeMs } from '../scenario/fields';

export const PoolStrategySchema = z.enum(['fixed', 'thin-files', 'pool']);

/** Cost defaults from the cost table in MECHANISMS.md. */
export const PoolCostsSchema = z.strictObject({
  /** Extent-map lookup for a redirected command, cached: 2 us (an assumption, no measurement found). */
  redirectUs: z.number().min(0).max(100_000).default(2),
  /** Map miss (metadata read or update): 100 us (qcow2 L2 cache, QEMU commit af39bd0d9a88). */
  missUs: z.number().min(0).max(1_000_000).default(100),
  /** Datastore sequential write, also used to zero a new extent: 2 GB/s (NVMe gen 3 datasheets). */
  writeGBps: z.number().gt(0).max(1000).default(2),
});

/** One entry of the scenario's `pools` section: a datastore and how VMs' temporary disks use it. */
export const PoolSchema = z.strictObject({
  id,
  /** The datastore's capacity, for every strategy. */
  sizeMiB: z.number().int().min(1).max(8192).default(512),
  /** 1 MiB by default; 64 KiB minimum and in 64 KiB steps, like dm-thin chunks. */
  extentKiB: z
    .number()
    .int()
    .min(64)
    .max(65_536)
    .refine((n) => n % 64 === 0, 'must be a multiple of 64')
    .default(1024),
  strategy: PoolStrategySchema.default('pool'),
  whenFull: z.enum(['error', 'queue']).default('error'),
  /** dm-thin's no_space_timeout: 60 s. */
  queueTimeoutMs: z.number().min(0).max(3_600_000).default(60_000),
  zeroOnAllocate: z.boolean().default(true),
  /** An operator grows the pool live at this time by `growMiB`. */
  growAtMs: timeMs.optional(),
  growMiB: z.number().int().min(1).max(8192).optional(),
  costs: PoolCostsSchema.prefault({}),
});

export const TempDiskJobSchema = z.strictObject({
  atMs: timeMs.default(0),
  kind: z.enum(['hadoop', 'write-read-delete']).default('hadoop'),
  /** Map output of the job (hadoop), or the file written (write-read-delete). */
  mapOutputMiB: z.number().int().min(1).max(4096).default(8),
  spills: z.number().int().min(1).max(64).default(3),
  reducers: z.number().int().min(1).max(64).default(2),
  /** How long the job's last output stays before the job deletes it. */
  holdMs: timeMs.default(0),
});

/** What this mechanism adds to a VM: its temporary virtual disk, in a pool. */
export const TempDiskSchema = z.strictObject({
  pool: id,
  /** The disk's logical size, as the guest sees it. */
  sizeMiB: z.number().int().min(1).max(8192).default(64),
  jobs: z.array(TempDiskJobSchema).max(64).default([]),
});

export type PoolConfig = z.output<typeof PoolSchema>;
export type PoolStrategy = z.output<typeof PoolStrategySchema>;
export type TempDiskConfig = z.output<typeof TempDiskSchema>;
export type TempDiskJob = z.output<typeof TempDiskJobSchema>;

/** Pool ids unique; a temp disk names a pool that exists; grow fields come together; sizes whole extents. */
export function checkPools(s: {
  vms: { id: string; tempDisk?: TempDiskConfig }[];
  pools: PoolConfig[];
}): { path: string; message: string }[] {
  const errors: { path: string; message: string }[] = [];
  const ids = new Set<string>();
  s.pools.forEach((p, i) => {
    if (ids.has(p.id)) errors.push({ path: `pools[${i}].id`, message: `duplicate pool id "${p.id}"` });
    ids.add(p.id);
    if ((p.sizeMiB * 1024) % p.extentKiB !== 0)
      errors.push({ path: `pools[${i}].sizeMiB`, message: `must be a whole number of ${p.extentKiB} KiB extents` });
    if ((p.growAtMs === undefined) !== (p.growMiB === undefined))
      errors.push({
        path: `pools[${i}].${p.growAtMs === undefined ? 'growAtMs' : 'growMiB'}`,
        message: 'growAtMs and growMiB go together',
      });
    if (p.growMiB !== undefined && (p.growMiB * 1024) % p.extentKiB !== 0)
      errors.push({ path: `pools[${i}].growMiB`, message: `must be a whole number of ${p.extentKiB} KiB extents` });
  });
  s.vms.forEach((vm, i) => {
    const disk = vm.tempDisk;
    if (!disk) return;
    const pool = s.pools.find((p) => p.id === disk.pool);
    if (!pool) {
      errors.push({ path: `vms[${i}].tempDisk.pool`, message: `no pool with id "${disk.pool}"` });
      return;
    }
    if ((disk.sizeMiB * 1024) % pool.extentKiB !== 0)
      errors.push({
        path: `vms[${i}].tempDisk.sizeMiB`,
        message: `must be a whole number of pool "${pool.id}"'s ${pool.extentKiB} KiB extents`,
      });
  });
  return errors;
}
