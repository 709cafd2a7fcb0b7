import { ScenarioRun } from '../run';
import type { ScenarioInput } from '../scenario/schema';
import { resolveScenario } from '../scenario/validate';
import { migration } from '.';
import type { MigrationMechanism } from './mechanism';

type VmInput = NonNullable<ScenarioInput['vms']>[number];
type MigrationInput = NonNullable<ScenarioInput['migrations']>[number];

export interface TwoHostOptions {
  memoryMiB?: number;
  memoryFill?: number;
  bandwidthMiBps?: number;
  latencyUs?: number;
  workload?: VmInput['workload'];
  vm?: Partial<VmInput>;
  migration?: Partial<MigrationInput>;
  linkDownAtMs?: number;
  seed?: number;
}

/** One VM on hostA migrating to hostB over one link: the shape most tests need. */
export function twoHostScenario(o: TwoHostOptions = {}): ScenarioInput {
  return {
    version: 2,
    seed: o.seed ?? 1,
    hosts: [{ id: 'hostA' }, { id: 'hostB' }],
    links: [
      {
        a: 'hostA',
        b: 'hostB',
        bandwidthMiBps: o.bandwidthMiBps ?? 128,
        latencyUs: o.latencyUs ?? 100,
        ...(o.linkDownAtMs !== undefined ? { downAtMs: o.linkDownAtMs } : {}),
      },
    ],
    vms: [
      {
        id: 'vm1',
        host: 'hostA',
        memoryMiB: o.memoryMiB ?? 32,
        memoryFill: o.memoryFill ?? 1,
        diskMiB: 0,
        workload: o.workload ?? { kind: 'uniform', dirtyMiBps: 8 },
        ...o.vm,
      },
    ],
    migrations: [{ vm: 'vm1', to: 'hostB', atMs: 0, ...o.migration }],
  };
}

/** Run a scenario to the end and hand back the run (call dispose() when done with it). */
export function runScenario(input: ScenarioInput): ScenarioRun {
  return new ScenarioRun(resolveScenario(input)).runToEnd();
}

/** Run, take the first migration's metrics and the summary, and free the buffers. */
export function migrate(o: TwoHostOptions = {}) {
  const run = runScenario(twoHostScenario(o));
  const summary = run.summary();
  const vm = run.world.vm('vm1');
  const placement = { host: vm.host, state: vm.state };
  run.dispose();
  return { m: summary.migrations[0], summary, placement };
}

/** The migration mechanism of a run (tests and benches look inside it); no runs when the scenario has none. */
export function migrationOf(run: ScenarioRun): Pick<MigrationMechanism, 'runs'> {
  return run.instance<MigrationMechanism>(migration) ?? { runs: [] };
}
