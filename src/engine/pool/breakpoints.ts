import type { BreakpointDefinition, StepContext } from '../mechanismDefinition';
import type { PoolMechanism } from './mechanism';

/** Where a pool run can stop by itself while playing. */
export const POOL_BREAKPOINTS: BreakpointDefinition<PoolMechanism>[] = [
  {
    kind: 'allocFail',
    label: 'on an allocation failure (io.fail or io.queue)',
    watch: () => ({
      check: ({ event }: StepContext) =>
        event.type === 'io.fail' || event.type === 'io.queue'
          ? `${event.type === 'io.fail' ? 'a write failed' : 'a write is queued'}: pool full for ${event.vm}`
          : undefined,
    }),
  },
  {
    kind: 'utilisation',
    label: 'when utilisation crosses',
    params: [{ name: 'pct', label: 'percent of the pool', default: 80, min: 0 }],
    watch: (mechanism, spec) => {
      const level = Number(spec.pct);
      const above = () =>
        mechanism.pools.map((p) => (100 * p.file.usedExtents) / Math.max(1, p.file.capacity) >= level);
      let was = above();
      return {
        check: () => {
          const now = above();
          const crossed = now.findIndex((a, i) => a !== was[i]);
          was = now;
          if (crossed < 0) return undefined;
          const p = mechanism.pools[crossed];
          return `pool ${p.id} utilisation went ${now[crossed] ? 'above' : 'below'} ${level}%`;
        },
        sync: () => {
          was = above();
        },
      };
    },
  },
  {
    kind: 'jobEnd',
    label: "on a job's end",
    watch: () => ({
      check: ({ event }: StepContext) =>
        event.type === 'pool.jobEnd' ? `${event.vm}'s job ${(event.job as number) + 1} ${event.status}` : undefined,
    }),
  },
];
