import type { Nanos } from './kernel/clock';
import type { Simulation } from './kernel/simulation';
import { type AnyMechanism, allMechanisms, type MECHANISMS } from './mechanisms';
import type { Scenario } from './scenario/schema';
import type { Mechanism } from './world/world';
import { World } from './world/world';

/** One scenario, built and ready to run: the world and every mechanism the scenario uses. */
export class ScenarioRun {
  readonly world: World;
  readonly sim: Simulation;
  /** The installed mechanisms, in registry order, each with its definition. */
  readonly installed: { def: AnyMechanism; instance: Mechanism }[] = [];

  constructor(readonly scenario: Scenario) {
    this.world = new World(scenario);
    this.sim = this.world.sim;
    for (const def of allMechanisms()) {
      if (sectionOf(scenario, def.key).length === 0) continue;
      this.installed.push({ def, instance: def.install(this.world) });
    }
    for (const { instance } of this.installed) instance.start?.();
    this.world.start();
  }

  /** A mechanism's instance in this run, if the scenario uses it. */
  instance<I extends Mechanism>(def: { id: string }): I | undefined {
    return this.installed.find((m) => m.def.id === def.id)?.instance as I | undefined;
  }

  runToEnd(): this {
    this.sim.runUntil();
    return this;
  }

  /**
   * Write the VMs' initial memory now (it is written on first use otherwise): a worker shows
   * the first frame of a new run before paying for it.
   */
  materializeMemory(): void {
    for (const vm of this.world.vms.values()) {
      vm.memory.materialize();
      vm.disk?.materialize();
    }
  }

  /** `materializeMemory` in parts of `pages` pages until `deadline()`; true once it is all written. */
  materializeSome(deadline: () => boolean, pages = 4096): boolean {
    for (const vm of this.world.vms.values()) {
      for (const m of vm.disk ? [vm.memory, vm.disk] : [vm.memory]) {
        while (!m.fillSome(pages)) if (deadline()) return false;
      }
    }
    return true;
  }

  /** Return the run's large buffers for reuse by the next run; the run must not be used afterwards. */
  dispose(): void {
    for (const vm of this.world.vms.values()) {
      vm.memory.dispose();
      vm.disk?.dispose();
    }
    for (const { instance } of this.installed) instance.dispose?.();
  }

  /** Every mechanism's figures under its key (`migrations`, ...), `[]` for one the scenario does not use. */
  metrics(now: Nanos = this.sim.now): MetricsBySection {
    const out: Record<string, unknown[]> = {};
    for (const def of allMechanisms()) {
      const instance = this.instance(def);
      out[def.key] = instance ? def.metrics(instance, now) : [];
    }
    return out as MetricsBySection;
  }

  /** The figures a run is compared by, in Node and in the browser alike. */
  summary(): RunSummary {
    return {
      traceHash: this.sim.trace.hex(),
      events: this.sim.eventIndex,
      simTimeNs: this.sim.now,
      finishReason: this.sim.finishReason,
      ...this.metrics(),
    };
  }
}

function sectionOf(scenario: Scenario, key: string): unknown[] {
  return ((scenario as unknown as Record<string, unknown[]>)[key] ?? []) as unknown[];
}

type Definitions = typeof MECHANISMS;
/** `{ migrations: MigrationMetrics[], ... }`: one array per registered mechanism. */
export type MetricsBySection = {
  [D in Definitions[number] as D['key']]: ReturnType<D['metrics']>;
};

export type RunSummary = {
  traceHash: string;
  events: number;
  simTimeNs: number;
  finishReason: string;
} & MetricsBySection;
