import { checkpoint } from './checkpoint';
import type { MechanismDefinition } from './mechanismDefinition';
import { migration } from './migration';
import { network } from './network';
import { passthrough } from './passthrough';
import { pool } from './pool';

/**
 * The one registry: every mechanism vmlab simulates, in the order the app's lab switcher
 * and `--json` list them. Adding a mechanism means adding its folder and one entry here.
 */
export const MECHANISMS = [migration, checkpoint, network, pool, passthrough] as const;

// biome-ignore lint/suspicious/noExplicitAny: each definition keeps its own instance, metrics and view types
export type AnyMechanism = MechanismDefinition<string, any, any, any, any>;

const REGISTRY: readonly AnyMechanism[] = MECHANISMS;

export function mechanismById(id: string): AnyMechanism | undefined {
  return REGISTRY.find((d) => d.id === id);
}

export function allMechanisms(): readonly AnyMechanism[] {
  return REGISTRY;
}

/** The mechanism whose events start with this type's prefix ('world' for hosts, links, VMs and the run). */
export function mechanismOfEvent(type: string): AnyMechanism | undefined {
  return REGISTRY.find((d) => d.eventPrefixes.some((p) => type.startsWith(p)));
}
