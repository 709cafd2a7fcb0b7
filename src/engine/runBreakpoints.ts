import type { Simulation } from './kernel/simulation';
import type { BreakpointDefinition, StepContext } from './mechanismDefinition';

/** The mechanism id of breakpoints every lab shares; their instance is the simulation itself. */
export const RUN_BREAKPOINTS_ID = 'run';

/** Breakpoints that every lab offers: a phase change, a simulated time, an event type. */
export const RUN_BREAKPOINTS: BreakpointDefinition<Simulation>[] = [
  {
    kind: 'phase',
    label: 'on a phase change',
    watch: () => ({
      check: ({ sim, phasesBefore }: StepContext) =>
        sim.phases.length > phasesBefore ? `phase "${sim.phases[sim.phases.length - 1].name}" began` : undefined,
    }),
  },
  {
    kind: 'time',
    label: 'at time (ms)',
    params: [{ name: 'atMs', label: 'simulated time in ms', default: 100, min: 0 }],
    watch: (sim, spec) => {
      const atNs = Math.round(Number(spec.atMs) * 1e6);
      let passed = sim.now >= atNs;
      return {
        check: () => {
          if (passed || sim.now < atNs) return undefined;
          passed = true;
          return `simulated time reached ${spec.atMs} ms`;
        },
        sync: () => {
          passed = sim.now >= atNs;
        },
      };
    },
  },
  {
    kind: 'event',
    label: 'on event type',
    params: [
      { name: 'type', label: 'event type, or its start (mig.arrive, mig.)', type: 'text', default: 'mig.arrive' },
    ],
    watch: (_sim, spec) => {
      const type = String(spec.type);
      return {
        check: ({ event }: StepContext) => (type && event.type.startsWith(type) ? `event ${event.type}` : undefined),
      };
    },
  },
];
