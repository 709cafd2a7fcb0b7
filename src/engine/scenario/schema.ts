import { z } from 'zod';
import { MECHANISMS } from '../mechanisms';
import { HostSchema, LinkSchema, VmSchema } from './fields';
import { LIMITS } from './limits';

/** Bumped only when a field changes meaning; older scenarios are upgraded in versions.ts. */
export const SCENARIO_VERSION = 2;

type Definitions = typeof MECHANISMS;
type Sections = {
  [D in Definitions[number] as D['key']]: z.ZodDefault<z.ZodArray<D['schema']>>;
};

/** The fields every registered mechanism adds to entries of the section `key`. */
function extended<T extends z.ZodObject>(schema: T, key: string): T {
  const shape: z.ZodRawShape = {};
  for (const d of MECHANISMS) Object.assign(shape, d.extends?.[key]);
  return (Object.keys(shape).length ? schema.extend(shape) : schema) as T;
}

const sections = Object.fromEntries(
  MECHANISMS.map((d) => [d.key, z.array(extended(d.schema, d.key)).max(LIMITS.sectionEntries).default([])]),
) as unknown as Sections;

export const ScenarioSchema = z.strictObject({
  /** Version 1 is typed and read so older inputs still check; parseScenario upgrades them first (versions.ts). */
  version: z.literal([1, SCENARIO_VERSION]).transform((): typeof SCENARIO_VERSION => SCENARIO_VERSION),
  seed: z.number().int().min(0).max(0xffffffff).default(1),
  name: z.string().max(120).optional(),
  description: z.string().max(2000).optional(),
  hosts: z.array(extended(HostSchema, 'hosts')).min(1).max(LIMITS.hosts),
  links: z.array(extended(LinkSchema, 'links')).max(LIMITS.links).default([]),
  vms: z.array(extended(VmSchema, 'vms')).max(LIMITS.vms).default([]),
  ...sections,
  /** Stop the run at this time; without it the run ends when every mechanism is done. */
  durationMs: z.number().gt(0).max(LIMITS.timeMs).optional(),
  maxEvents: z.number().int().min(1).max(LIMITS.maxEvents).default(LIMITS.defaultMaxEvents),
});

export type Scenario = z.output<typeof ScenarioSchema>;
export type ScenarioInput = z.input<typeof ScenarioSchema>;
export type VmConfig = Scenario['vms'][number];
export type LinkConfig = Scenario['links'][number];
export type HostConfig = Scenario['hosts'][number];
/** The keys of the scenario's mechanism sections: `migrations`, ... */
export type SectionKey = Definitions[number]['key'];
