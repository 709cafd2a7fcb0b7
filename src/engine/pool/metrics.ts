import type { Nanos } from '../kernel/clock';
import type { PoolRun } from './model';
import { verifyPool } from './verify';

export interface PoolVmMetrics {
  vm: string;
  usedMiB: number;
  peakMiB: number;
  failedJobs: number;
}

/** A pool's figures (what `--json` prints under `pools`). */
export interface PoolMetrics {
  id: string;
  strategy: string;
  sizeMiB: number;
  provisionedMiB: number;
  usedMiB: number;
  peakUsedMiB: number;
  sumOfVmPeaksMiB: number;
  utilisationPct: number;
  extentsAllocated: number;
  extentsFreed: number;
  extentsPerDisk: { mean: number; max: number };
  mapEntries: number;
  jobsCompleted: number;
  jobsFailed: number;
  commandsFailed: number;
  queuedMs: number;
  /** Time added per command by redirection and allocation (lookups, misses, zeroing), µs. */
  redirectOverheadUs: number;
  vmsNotStarted: number;
  /** Every read returned what that VM last wrote there, or zeros. */
  verified: boolean;
  isolationViolations: number;
  vms: PoolVmMetrics[];
  /** Jobs a fixed disk of the datastore shared evenly would have failed, which this run carried. */
  fixedShareFailures: number;
}

export function poolMetrics(run: PoolRun, _now: Nanos): PoolMetrics {
  const c = run.c;
  const extentMiB = run.extentMiB;
  const sizeMiB = run.file.capacity * extentMiB;
  const perDisk = run.vms.map((v) => v.disk.map.mapped);
  const provisionedMiB = run.strategy.preallocates
    ? run.vms.filter((v) => v.s.started).reduce((n, v) => n + v.disk.sizeBytes / 2 ** 20, 0)
    : run.vms.reduce((n, v) => n + v.disk.sizeBytes / 2 ** 20, 0);
  const { verified } = verifyPool(run);
  return {
    id: run.id,
    strategy: run.config.strategy,
    sizeMiB,
    provisionedMiB,
    usedMiB: run.file.usedExtents * extentMiB,
    peakUsedMiB: c.peakExtents * extentMiB,
    sumOfVmPeaksMiB: run.sumOfVmPeaks() * extentMiB,
    utilisationPct: sizeMiB > 0 ? (100 * run.file.usedExtents * extentMiB) / sizeMiB : 0,
    extentsAllocated: c.extentsAllocated,
    extentsFreed: c.extentsFreed,
    extentsPerDisk: {
      mean: perDisk.length ? perDisk.reduce((a, b) => a + b, 0) / perDisk.length : 0,
      max: perDisk.length ? Math.max(...perDisk) : 0,
    },
    mapEntries: run.vms.reduce((n, v) => n + v.disk.map.runs, 0),
    jobsCompleted: c.jobs.filter((j) => j.status === 'completed').length,
    jobsFailed: c.jobs.filter((j) => j.status === 'failed').length,
    commandsFailed: c.commandsFailed,
    queuedMs: c.queuedNs / 1e6,
    redirectOverheadUs: c.commands > 0 ? c.overheadNs / c.commands / 1e3 : 0,
    vmsNotStarted: c.vmsNotStarted,
    verified,
    isolationViolations: c.isolationViolations,
    vms: run.vms.map((v) => ({
      vm: v.vm,
      usedMiB: v.heldExtents * extentMiB,
      peakMiB: v.s.peakExtents * extentMiB,
      failedJobs: v.s.failedJobs,
    })),
    fixedShareFailures: c.shadow.length,
  };
}
