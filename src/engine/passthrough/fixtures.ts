import { migration } from '../migration';
import { MigrationSchema } from '../migration/schema';
import { HostSchema, LinkSchema, VmSchema, type WorldScenario } from '../scenario/fields';
import { World } from '../world/world';
import { passthrough } from '.';
import type { PassthroughMechanism } from './mechanism';
import { DeviceSchema, MigrationPassthroughSchema } from './schema';

/** A resolved scenario built from loose input, for tests that run before the lab is registered. */
export function deviceScenario(input: {
  hosts?: unknown[];
  links?: unknown[];
  vms: unknown[];
  devices: unknown[];
  migrations?: unknown[];
  durationMs?: number;
  seed?: number;
}): WorldScenario {
  const migrationEntry = MigrationSchema.extend({ passthrough: MigrationPassthroughSchema });
  return {
    version: 1,
    seed: input.seed ?? 1,
    hosts: (input.hosts ?? [{ id: 'hostA' }]).map((h) => HostSchema.parse(h)),
    links: (input.links ?? []).map((l) => LinkSchema.parse(l)),
    vms: input.vms.map((v) => VmSchema.parse(v)),
    devices: input.devices.map((d) => DeviceSchema.parse(d)),
    migrations: (input.migrations ?? []).map((m) => migrationEntry.parse(m)),
    durationMs: input.durationMs,
    maxEvents: 5_000_000,
  };
}

/** A world with migration (if the scenario has any) and passthrough installed and started. */
export function runWorld(s: WorldScenario): { world: World; pt: PassthroughMechanism } {
  const world = new World(s);
  const mig = (s.migrations as unknown[]).length ? migration.install(world) : undefined;
  const pt = passthrough.install(world);
  mig?.start?.();
  pt.start();
  world.start();
  return { world, pt };
}
