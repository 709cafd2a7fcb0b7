import type { Report } from '../mechanismDefinition';
import type { PoolMetrics } from './metrics';

const mib = (v: number) => `${Number(v.toFixed(1))} MiB`;

/** How the CLI prints pools: one row each, then each pool's VMs. */
export const POOL_REPORT: Report<PoolMetrics> = {
  columns: [
    { label: 'pool', value: (m) => m.id },
    { label: 'strategy', value: (m) => m.strategy },
    { label: 'size', value: (m) => mib(m.sizeMiB) },
    { label: 'provisioned', value: (m) => mib(m.provisionedMiB) },
    { label: 'peak used', value: (m) => mib(m.peakUsedMiB) },
    { label: 'sum of VM peaks', value: (m) => mib(m.sumOfVmPeaksMiB) },
    { label: 'jobs ok', value: (m) => String(m.jobsCompleted) },
    { label: 'jobs failed', value: (m) => String(m.jobsFailed) },
    { label: 'not started', value: (m) => String(m.vmsNotStarted) },
    { label: 'alloc/free', value: (m) => `${m.extentsAllocated}/${m.extentsFreed}` },
    { label: 'queued', value: (m) => `${m.queuedMs.toFixed(0)} ms` },
    { label: 'overhead/cmd', value: (m) => `${m.redirectOverheadUs.toFixed(1)} µs` },
    { label: 'verified', value: (m) => (m.verified ? 'yes' : 'NO') },
    {
      label: 'isolation',
      value: (m) => (m.isolationViolations === 0 ? 'held' : `${m.isolationViolations} VIOLATIONS`),
    },
  ],
  note: (m) =>
    m.fixedShareFailures > 0
      ? `${m.fixedShareFailures} job(s) outgrew a fixed disk of the datastore shared evenly (${mib(m.sizeMiB / Math.max(1, m.vms.length))}); this run carried them.`
      : undefined,
  details: (m) => [
    {
      title: `${m.id} VMs`,
      header: ['vm', 'used', 'peak', 'failed jobs'],
      rows: m.vms.map((v) => [v.vm, mib(v.usedMiB), mib(v.peakMiB), String(v.failedJobs)]),
    },
  ],
};
