import type { Lesson, LessonContext } from '../lesson';
import { sectionOf } from '../scenario/fields';
import type { PoolMetrics, PoolVmMetrics } from './metrics';
import type { PoolConfig, TempDiskConfig } from './schema';

const m = (ctx: LessonContext) => ctx.metrics.pool?.[0] as PoolMetrics;
const config = (ctx: LessonContext) => sectionOf<PoolConfig>(ctx.scenario, 'pools')[0];
const tempDisk = (ctx: LessonContext, vm: string) =>
  (ctx.scenario.vms.find((v) => v.id === vm) as { tempDisk?: TempDiskConfig } | undefined)?.tempDisk;
const diskMiB = (ctx: LessonContext) => tempDisk(ctx, ctx.scenario.vms[0].id)?.sizeMiB ?? 0;
/** What a fixed disk of the datastore shared evenly gives each VM (PoolRun.fairShareBytes). */
const fairMiB = (ctx: LessonContext) => Math.floor(config(ctx).sizeMiB / m(ctx).vms.length);
/** The VM that held the most pool space at once. */
const biggest = (ctx: LessonContext): PoolVmMetrics =>
  m(ctx).vms.reduce((a, b) => (b.peakMiB > a.peakMiB ? b : a), m(ctx).vms[0]);
const firstJobMiB = (ctx: LessonContext, vm: string) => tempDisk(ctx, vm)?.jobs[0]?.mapOutputMiB ?? 0;
/** Every job the scenario gives the pool's VMs. */
const jobCount = (ctx: LessonContext) =>
  ctx.scenario.vms.reduce((n, v) => n + (tempDisk(ctx, v.id)?.jobs.length ?? 0), 0);
const int = (n: number) => Math.round(n).toLocaleString('en-US');

export const POOL_LESSONS: Lesson[] = [
  {
    id: 'fixed-disks-vs-pool',
    title: 'Fixed disks against the pool',
    preset: 'pool-burst',
    steps: [
      {
        caption: (ctx) =>
          `${m(ctx).vms.length} Hadoop workers each want a ${diskMiB(ctx)} MiB temp disk: ${int(m(ctx).provisionedMiB)} MiB of fixed disks for a ${config(ctx).sizeMiB} MiB datastore, or ${fairMiB(ctx)} MiB each if it were shared evenly. Here they share one pool, which holds only what is written.`,
        highlight: { kind: 'metric', target: 'provisionedMiB' },
        claim: (ctx) => m(ctx).provisionedMiB > m(ctx).sizeMiB && m(ctx).usedMiB === 0,
        question: {
          prompt: "One worker's job spills far more than its even share. In the pool, does every job finish?",
          choices: ['yes, every job finishes', 'no, the big job fails for lack of space'],
          answer: (ctx) => (m(ctx).jobsFailed === 0 ? 0 : 1),
        },
      },
      {
        waitFor: 'end',
        caption: (ctx) =>
          `All ${m(ctx).jobsCompleted} jobs completed. ${biggest(ctx).vm}'s held ${biggest(ctx).peakMiB} MiB of the pool at its peak, past the ${fairMiB(ctx)} MiB a fixed disk of an even share would give: that disk would have failed it (${m(ctx).fixedShareFailures} such job in this run).`,
        highlight: { kind: 'chart', target: 'utilisation' },
        claim: (ctx) =>
          m(ctx).jobsFailed === 0 &&
          m(ctx).jobsCompleted === jobCount(ctx) &&
          m(ctx).fixedShareFailures >= 1 &&
          biggest(ctx).peakMiB > fairMiB(ctx) &&
          biggest(ctx).failedJobs === 0,
      },
      {
        caption: (ctx) =>
          `Yet the pool never held more than ${m(ctx).peakUsedMiB} MiB at once, ${Math.round((100 * m(ctx).peakUsedMiB) / m(ctx).sizeMiB)}% of the datastore, though the VMs' own peaks add up to ${m(ctx).sumOfVmPeaksMiB} MiB: they peak at different times, and each deleted file gives its extents back (${int(m(ctx).extentsFreed)} of ${int(m(ctx).extentsAllocated)}).`,
        highlight: { kind: 'metric', target: 'peakUsedMiB' },
        claim: (ctx) =>
          4 * m(ctx).peakUsedMiB <= m(ctx).sizeMiB &&
          m(ctx).peakUsedMiB < m(ctx).sumOfVmPeaksMiB &&
          m(ctx).extentsFreed === m(ctx).extentsAllocated &&
          m(ctx).verified,
      },
    ],
  },
  {
    id: 'isolation-zeros',
    title: 'Isolation: a reused extent reads as zeros',
    preset: 'pool-isolation',
    steps: [
      {
        caption: (ctx) =>
          `${m(ctx).vms[0].vm} writes ${firstJobMiB(ctx, m(ctx).vms[0].vm)} MiB to its temp disk, reads it back and deletes it. The pool hands out ${config(ctx).extentKiB / 1024} MiB extents and does not zero an extent when it hands it out.`,
        highlight: { kind: 'block', target: 'extents' },
        claim: (ctx) => !config(ctx).zeroOnAllocate && m(ctx).extentsAllocated === 0,
      },
      {
        waitFor: { mechanism: 'pool', kind: 'jobEnd' },
        caption: (ctx) =>
          `${m(ctx).vms[0].vm}'s job has completed and its extent is free, old bytes still there in the pool file (${m(ctx).extentsFreed} freed, ${m(ctx).usedMiB} MiB in use). Next ${m(ctx).vms[1].vm} writes ${firstJobMiB(ctx, m(ctx).vms[1].vm)} MiB and reads the rest of its extent, which it never wrote.`,
        highlight: { kind: 'block', target: 'extents' },
        claim: (ctx) =>
          m(ctx).jobsCompleted === 1 &&
          m(ctx).extentsFreed === m(ctx).extentsAllocated &&
          m(ctx).extentsFreed >= 1 &&
          m(ctx).usedMiB === 0,
        question: {
          prompt: 'What does the second VM read in the part of the extent it never wrote?',
          choices: ['zeros', "the first VM's old bytes", 'an I/O error'],
          answer: (ctx) => (m(ctx).isolationViolations > 0 ? 1 : m(ctx).commandsFailed > 0 || !m(ctx).verified ? 2 : 0),
        },
      },
      {
        waitFor: { mechanism: 'pool', kind: 'jobEnd' },
        caption: (ctx) =>
          `Zeros. The extent came back with the first VM's bytes, but its written-sector mask was cleared for the new owner, so every sector ${m(ctx).vms[1].vm} never wrote reads as zeros: every read matched byte for byte, and none carried another VM's data.`,
        highlight: { kind: 'metric', target: 'isolationViolations' },
        claim: (ctx) =>
          m(ctx).jobsCompleted === 2 &&
          m(ctx).extentsAllocated >= 2 &&
          m(ctx).verified &&
          m(ctx).isolationViolations === 0,
      },
    ],
  },
];
