import { ScenarioRun } from '../run';
import { resolveScenario } from '../scenario/validate';
import { network } from '.';
import type { NetworkMechanism } from './mechanism';
import { type NetworkMetrics, networkMetrics } from './metrics';

/** A scenario with one VM and one network entry, for tests. */
export function netScenario(entry: Record<string, unknown>, cpus = 2, seed = 7) {
  return {
    version: 1,
    seed,
    hosts: [{ id: 'host1', cpus }],
    vms: [{ id: 'vm1', host: 'host1', memoryMiB: 1, diskMiB: 0, workload: { kind: 'idle' } }],
    networks: [{ vm: 'vm1', ...entry }],
  };
}

/** Run to the end and return the network's figures (the registry need not list the lab yet). */
export function runNet(
  entry: Record<string, unknown>,
  cpus = 2,
  seed = 7,
): { m: NetworkMetrics; run: ScenarioRun; mech: NetworkMechanism } {
  const scenario = resolveScenario(netScenario(entry, cpus, seed));
  const run = new ScenarioRun(scenario);
  const mech = run.instance<NetworkMechanism>(network) as NetworkMechanism;
  run.runToEnd();
  return { m: networkMetrics(mech.runs[0], run.sim.now), run, mech };
}
