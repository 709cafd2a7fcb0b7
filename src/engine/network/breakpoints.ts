import type { BreakpointDefinition, StepContext } from '../mechanismDefinition';
import type { NetworkMechanism } from './mechanism';

const drops = (m: NetworkMechanism) =>
  m.runs.reduce((n, r) => n + r.sides.reduce((k, s) => k + s.stats.droppedRingFull, 0), 0);
const maxWait = (m: NetworkMechanism) => Math.max(0, ...m.runs.flatMap((r) => r.sides.map((s) => s.stats.wait.max)));

/** Where a network run can stop by itself while playing. */
export const NETWORK_BREAKPOINTS: BreakpointDefinition<NetworkMechanism>[] = [
  {
    kind: 'flush',
    label: 'on a flush',
    watch: () => ({
      check: ({ event }: StepContext) =>
        event.type === 'net.flush' ? `${event.packets} packets leave (${event.trigger})` : undefined,
    }),
  },
  {
    kind: 'drop',
    label: 'on a drop',
    watch: (m) => {
      let seen = drops(m);
      return {
        check: () => {
          const n = drops(m);
          if (n === seen) return undefined;
          seen = n;
          return `a packet was dropped on a full ring (${n} so far)`;
        },
        sync: () => {
          seen = drops(m);
        },
      };
    },
  },
  {
    kind: 'wait',
    label: 'when a packet waited past (us)',
    params: [{ name: 'us', label: 'wait in the shared ring, us', default: 500, min: 0 }],
    watch: (m, spec) => {
      const limit = Number(spec.us) * 1000;
      let over = maxWait(m) > limit;
      return {
        check: () => {
          if (over || maxWait(m) <= limit) return undefined;
          over = true;
          return `a packet waited ${(maxWait(m) / 1000).toFixed(1)} us in the shared ring`;
        },
        sync: () => {
          over = maxWait(m) > limit;
        },
      };
    },
  },
];
