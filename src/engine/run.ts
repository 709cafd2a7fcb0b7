import type { Simulation } from './kernel/simulation';
import { MigrationMechanism } from './migration/mechanism';
import { type MigrationMetrics, migrationMetrics } from './migration/metrics';
import type { Scenario } from './scenario/schema';
import { World } from './world/world';

/** One scenario, built and ready to run: the world and each mechanism in it. */
export class ScenarioRun {
  readonly world: World;
  readonly sim: Simulation;
  readonly migration: MigrationMechanism;

  constructor(readonly scenario: Scenario) {
    this.world = new World(scenario);
    this.sim = this.world.sim;
    this.migration = new MigrationMechanism(this.world);
    this.migration.start();
    this.world.start();
  }

  runToEnd(): this {
    this.sim.runUntil();
    return this;
  }

  /** Return the run's large buffers for reuse by the next run; the run must not be used afterwards. */
  dispose(): void {
    for (const vm of this.world.vms.values()) {
      vm.memory.dispose();
      vm.disk?.dispose();
    }
    for (const run of this.migration.runs) {
      run.dest.dispose();
      run.destDisk?.dispose();
      run.cache?.memory.dispose();
    }
  }

  migrations(): MigrationMetrics[] {
    return this.migration.runs.map((r) => migrationMetrics(r, this.sim.now));
  }

  /** The figures a run is compared by, in Node and in the browser alike. */
  summary(): RunSummary {
    return {
      traceHash: this.sim.trace.hex(),
      events: this.sim.eventIndex,
      simTimeNs: this.sim.now,
      finishReason: this.sim.finishReason,
      migrations: this.migrations(),
    };
  }
}

export interface RunSummary {
  traceHash: string;
  events: number;
  simTimeNs: number;
  finishReason: string;
  migrations: MigrationMetrics[];
}
