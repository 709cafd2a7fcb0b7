import { first, type Lesson, type LessonContext } from '../lesson';
import { sectionOf } from '../scenario/fields';
import type { MigrationMetrics } from './metrics';
import type { MigrationConfig } from './schema';

const m = (ctx: LessonContext) => first<MigrationMetrics>(ctx, 'migration');
const config = (ctx: LessonContext) => sectionOf<MigrationConfig>(ctx.scenario, 'migrations')[0];
const dirty = (ctx: LessonContext) => ctx.scenario.vms[0].workload.dirtyMiBps;
const bandwidth = (ctx: LessonContext) => ctx.scenario.links[0].bandwidthMiBps;
const round = (ctx: LessonContext, n: number) => m(ctx).rounds[n];
const int = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => (n >= 100 ? int(n) : n.toFixed(1));
const live = (ctx: LessonContext) => m(ctx).rounds.filter((r) => !r.stopped && !r.push);

export const MIGRATION_LESSONS: Lesson[] = [
  {
    id: 'why-precopy-converges',
    title: 'Why pre-copy converges, or does not',
    preset: 'precopy-converges',
    steps: [
      {
        caption: (ctx) =>
          `A ${ctx.scenario.vms[0].memoryMiB} MiB VM writes to a hot set at ${dirty(ctx)} MiB/s; the link carries ${bandwidth(ctx)} MiB/s. Pre-copy first sends every page while the VM keeps running: round 0.`,
        highlight: { kind: 'grid', target: 'source' },
      },
      {
        waitFor: { mechanism: 'migration', kind: 'round', round: 1 },
        caption: (ctx) =>
          `Round 0 sent ${int(round(ctx, 0).pagesSent)} pages in ${ms(round(ctx, 0).durationMs)} ms. Meanwhile the guest dirtied ${int(round(ctx, 0).pagesDirtied)} of them: those, and only those, are round 1's work.`,
        highlight: { kind: 'chart', target: 'rounds' },
        claim: (ctx) => round(ctx, 0).pagesDirtied < round(ctx, 0).pagesSent,
        question: {
          prompt: 'Will round 1 be shorter or longer than round 0?',
          choices: ['shorter', 'about as long', 'longer'],
          answer: (ctx) => {
            const ratio = round(ctx, 1).durationMs / round(ctx, 0).durationMs;
            return ratio < 0.8 ? 0 : ratio <= 1.2 ? 1 : 2;
          },
        },
      },
      {
        waitFor: 'end',
        caption: (ctx) =>
          `Shorter: each round sends what the last one left dirty, a fraction ${(round(ctx, 0).pagesDirtied / round(ctx, 0).pagesSent).toFixed(2)} of it. After ${live(ctx).length} live rounds the rest fit the ${config(ctx).downtimeLimitMs} ms limit, so the VM stopped for a downtime of ${ms(m(ctx).downtimeMs)} ms.`,
        highlight: { kind: 'metric', target: 'downtime' },
        claim: (ctx) => m(ctx).converged && round(ctx, 1).durationMs < round(ctx, 0).durationMs,
      },
      {
        preset: 'precopy-no-converge',
        caption: (ctx) =>
          `Now the guest sweeps its memory at ${dirty(ctx)} MiB/s, faster than the link's ${bandwidth(ctx)} MiB/s. Predict what the rounds do.`,
        question: {
          prompt: 'With the guest dirtying faster than the link sends, do the rounds shrink?',
          choices: ['yes, they shrink', 'no, they stay as big'],
          answer: (ctx) => (round(ctx, 2).pagesSent < 0.5 * round(ctx, 1).pagesSent ? 0 : 1),
        },
      },
      {
        waitFor: { mechanism: 'migration', kind: 'round', round: 3 },
        caption: (ctx) =>
          `They stay as big: round 1 sent ${int(round(ctx, 1).pagesSent)} pages and round 2 ${int(round(ctx, 2).pagesSent)}. Whatever a round sends, the guest has dirtied again by its end.`,
        highlight: { kind: 'chart', target: 'rounds' },
        claim: (ctx) => round(ctx, 2).pagesSent >= 0.5 * round(ctx, 1).pagesSent,
      },
      {
        waitFor: 'end',
        caption: (ctx) =>
          `After ${config(ctx).maxRounds} rounds pre-copy gave up and stopped the VM with its working set still to send: ${ms(m(ctx).downtimeMs)} ms of downtime against a ${config(ctx).downtimeLimitMs} ms limit. Auto-converge (the next preset) slows the vCPUs until the rounds shrink.`,
        highlight: { kind: 'metric', target: 'downtime' },
        claim: (ctx) => !m(ctx).converged && m(ctx).downtimeMs > config(ctx).downtimeLimitMs,
      },
    ],
  },
  {
    id: 'postcopy-vs-hybrid',
    title: 'Post-copy against the write-protect hybrid',
    preset: 'postcopy',
    steps: [
      {
        caption: () =>
          'Post-copy moves the VM first and its memory after: it stops the VM only to send the device state, then resumes it on the destination, where almost every page is not there yet.',
        highlight: { kind: 'grid', target: 'destination' },
      },
      {
        waitFor: { mechanism: 'run', kind: 'event', type: 'mig.faultRequest' },
        caption: (ctx) =>
          `The VM runs on the destination after ${ms(m(ctx).downtimeMs)} ms of downtime. It has just touched a page not there yet: a remote fault. Its vCPU stalls for a round trip while the page is fetched and faulted in.`,
        highlight: { kind: 'grid', target: 'destination' },
        claim: (ctx) => m(ctx).postcopyRequests >= 1 && m(ctx).downtimeMs < 100,
      },
      {
        waitFor: 'end',
        caption: (ctx) =>
          `Done: ${int(m(ctx).postcopyRequests)} remote faults stalled the vCPU for ${ms(m(ctx).postcopyStallMs)} ms in all, and each page crossed the link once (${int(m(ctx).pagesResent)} sent twice).`,
        highlight: { kind: 'metric', target: 'postcopy-requests' },
        claim: (ctx) => m(ctx).pagesResent === 0 && m(ctx).postcopyStallMs > 0,
        question: {
          prompt: 'The hybrid sends every page once before it switches over. Will it fault more or less often?',
          choices: ['less often', 'as often', 'more often'],
          answer: (ctx) => (m(ctx).postcopyRequests < 100 ? 0 : 2),
        },
      },
      {
        preset: 'hybrid',
        waitFor: 'end',
        caption: (ctx) =>
          `The hybrid: one write-protected pass first, so after the switchover only the ${int(m(ctx).wpFaults)} pages dirtied since had to follow. ${int(m(ctx).postcopyRequests)} remote faults, ${ms(m(ctx).postcopyStallMs)} ms of stall, at the price of ${int(m(ctx).pagesResent)} pages sent twice.`,
        highlight: { kind: 'metric', target: 'postcopy-requests' },
        claim: (ctx) => m(ctx).maxSendsPerPage <= 2 && m(ctx).verified,
      },
    ],
  },
];
