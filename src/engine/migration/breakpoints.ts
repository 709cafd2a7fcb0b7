import type { PhaseSpan } from '../kernel/simulation';
import type { BreakpointDefinition, StepContext } from '../mechanismDefinition';
import type { MigrationMechanism } from './mechanism';
import { expectedDowntimeMs } from './metrics';
import type { MigrationRun } from './model';

/** Where a migration run can stop by itself while playing. */
export const MIGRATION_BREAKPOINTS: BreakpointDefinition<MigrationMechanism>[] = [
  {
    kind: 'round',
    label: 'at round',
    params: [{ name: 'round', label: 'round number', default: 2, min: 0 }],
    watch: (_m, spec) => ({
      check: ({ sim, phasesBefore }: StepContext) => {
        for (let i = phasesBefore; i < sim.phases.length; i++) {
          const round = roundOfPhase(sim.phases[i]);
          if (round === spec.round) {
            return `round ${spec.round} began${sim.phases[i].down ? ' (the final pass, VM stopped)' : ''}`;
          }
        }
        return undefined;
      },
    }),
  },
  {
    kind: 'fault',
    label: 'on a remote fault',
    watch: () => ({
      check: ({ sim, logBefore }: StepContext) => {
        for (let i = logBefore; i < sim.log.length; i++) {
          if (sim.log[i].kind === 'migration.fault') return `remote fault (${sim.log[i].text})`;
        }
        return undefined;
      },
    }),
  },
  {
    kind: 'downtime',
    label: 'when downtime would exceed the limit',
    watch: (mechanism) => {
      // Runs whose expected downtime is over their limit: the breakpoint fires as one enters.
      const over = new Set<number>();
      return {
        check: () => {
          for (const m of mechanism.runs) {
            const expected = expectedDowntimeOverLimit(m);
            if (expected === null) over.delete(m.index);
            else if (!over.has(m.index)) {
              over.add(m.index);
              return `downtime of ${m.vm.id} will be about ${expected.toFixed(0)} ms, over its ${m.config.downtimeLimitMs} ms limit`;
            }
          }
          return undefined;
        },
        sync: () => {
          over.clear();
          for (const m of mechanism.runs) {
            if (expectedDowntimeOverLimit(m) !== null) over.add(m.index);
          }
        },
      };
    },
  },
];

/** The round a pass's phase is named after: `round 3`, or `round 10: stop-and-copy` for a stopped pass. */
export function roundOfPhase(phase: PhaseSpan): number | undefined {
  const match = /^round (\d+)(:|$)/.exec(phase.name);
  return match ? Number(match[1]) : undefined;
}

/** While the VM is stopped for switchover: QEMU's expected downtime, in ms, if over its limit; else null. */
function expectedDowntimeOverLimit(m: MigrationRun): number | null {
  if (!m.stopped || m.resumed || m.terminal) return null;
  const expected = expectedDowntimeMs(m);
  return expected > m.config.downtimeLimitMs ? expected : null;
}
