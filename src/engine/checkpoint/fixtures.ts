import { z } from 'zod';
import type { SimEvent } from '../kernel/eventQueue';
import { HostSchema } from '../scenario/fields';
import { ScenarioSchema } from '../scenario/schema';
import { World } from '../world/world';
import { CheckpointMechanism } from './mechanism';
import { type CheckpointMetrics, checkpointMetrics } from './metrics';
import { CheckpointSchema, checkCheckpoints, HOST_FIELDS } from './schema';

/** The scenario schema with checkpointing's section and host fields, whether or not it is registered yet. */
const TestSchema = ScenarioSchema.extend({
  hosts: z.array(HostSchema.extend(HOST_FIELDS)).min(1),
  checkpoints: z.array(CheckpointSchema).default([]),
});

export interface ProtectOptions {
  strategy?: 'remus' | 'delta' | 'feedback';
  epochMs?: number;
  seed?: number;
  memoryMiB?: number;
  diskMiB?: number;
  durationMs?: number;
  failAtMs?: number;
  workload?: Record<string, unknown>;
  checkpoint?: Record<string, unknown>;
  bandwidthMiBps?: number;
}

/** One VM on hostA protected by hostB: the shape most tests need. */
export function protectScenario(o: ProtectOptions = {}) {
  return {
    version: 1,
    seed: o.seed ?? 1,
    hosts: [{ id: 'hostA', ...(o.failAtMs !== undefined ? { failAtMs: o.failAtMs } : {}) }, { id: 'hostB' }],
    links: [{ a: 'hostA', b: 'hostB', bandwidthMiBps: o.bandwidthMiBps ?? 119, latencyUs: 100 }],
    vms: [
      {
        id: 'vm1',
        host: 'hostA',
        memoryMiB: o.memoryMiB ?? 8,
        diskMiB: o.diskMiB ?? 2,
        workload: { kind: 'hotset', dirtyMiBps: 32, hotFraction: 0.1, hotShare: 0.8, ...o.workload },
      },
    ],
    checkpoints: [
      { vm: 'vm1', backup: 'hostB', strategy: o.strategy ?? 'remus', epochMs: o.epochMs ?? 50, ...o.checkpoint },
    ],
    durationMs: o.durationMs ?? 1000,
  };
}

export interface Protected {
  world: World;
  mechanism: CheckpointMechanism;
  events: (SimEvent & { tNs: number })[];
  metrics(): CheckpointMetrics;
  dispose(): void;
}

/** Build the world and the mechanism from a scenario input (validated), recording every event. */
export function build(input: unknown): Protected {
  const scenario = TestSchema.parse(input);
  const errors = checkCheckpoints(scenario, scenario.checkpoints);
  if (errors.length) throw new Error(JSON.stringify(errors));
  const world = new World(scenario);
  const mechanism = new CheckpointMechanism(world);
  const events: (SimEvent & { tNs: number })[] = [];
  world.sim.observer = (_i, tNs, e) => events.push({ ...e, tNs });
  mechanism.start();
  world.start();
  return {
    world,
    mechanism,
    events,
    metrics: () => checkpointMetrics(mechanism.runs[0], world.sim.now),
    dispose: () => {
      for (const vm of world.vms.values()) {
        vm.memory.dispose();
        vm.disk?.dispose();
      }
      mechanism.dispose();
    },
  };
}

export function runProtected(o: ProtectOptions = {}): Protected {
  const p = build(protectScenario(o));
  p.world.sim.runUntil();
  return p;
}
