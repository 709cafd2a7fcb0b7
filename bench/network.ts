/**
 * Packets simulated per wall-clock second for 100 ms of 10 GbE IMIX traffic (about 3.3 M
 * packets per simulated second offered) per strategy, with every byte written, copied and
 * checked; and events per second. Figures only (best of a few runs); nothing passes or fails.
 * `cpuMs` (this process's CPU time, best run) moves less than wall time on a shared, loaded machine.
 */
import { ScenarioRun } from '../src/engine/run';
import { resolveScenario } from '../src/engine/scenario/validate';

export interface NetworkBench {
  strategy: string;
  packets: number;
  events: number;
  wallMs: number;
  cpuMs: number;
  packetsPerSecond: number;
  eventsPerSecond: number;
  verified: boolean;
}

function scenario(strategy: string, offload = false) {
  return resolveScenario({
    version: 1,
    seed: 1,
    hosts: [{ id: 'host1', cpus: 2 }],
    vms: [{ id: 'vm1', host: 'host1', memoryMiB: 1, diskMiB: 0, workload: { kind: 'idle' } }],
    networks: [{ vm: 'vm1', strategy, offload, traffic: { kind: 'imix', flows: 4 }, durationMs: 100 }],
    maxEvents: 20_000_000,
  });
}

export function benchNetwork(repeats = 3): NetworkBench[] {
  const cases: [string, string, boolean][] = [
    ['per-packet', 'per-packet', false],
    ['event-idx', 'event-idx', false],
    ['timer', 'timer', false],
    ['cluster', 'cluster', false],
    ['cluster+offload', 'cluster', true],
  ];
  return cases.map(([label, strategy, offload]) => {
    const s = scenario(strategy, offload);
    let best = Number.POSITIVE_INFINITY;
    let bestCpu = Number.POSITIVE_INFINITY;
    let run: ScenarioRun | undefined;
    for (let i = 0; i < repeats; i++) {
      run?.dispose();
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      run = new ScenarioRun(s).runToEnd();
      best = Math.min(best, performance.now() - t0);
      const cpu = process.cpuUsage(cpu0);
      bestCpu = Math.min(bestCpu, (cpu.user + cpu.system) / 1000);
    }
    const r = run as ScenarioRun;
    const m = r.metrics().networks[0];
    r.dispose();
    return {
      strategy: label,
      packets: m.packetsDelivered,
      events: r.sim.eventIndex,
      wallMs: Math.round(best),
      cpuMs: Math.round(bestCpu),
      packetsPerSecond: Math.round((m.packetsDelivered / best) * 1000),
      eventsPerSecond: Math.round((r.sim.eventIndex / best) * 1000),
      verified: m.verified,
    };
  });
}

if (process.argv[1]?.endsWith('network.ts')) console.log(JSON.stringify(benchNetwork(), null, 2));
