import { z } from 'zod';
import { LIMITS } from './limits';

export const SCENARIO_VERSION = 1;

const id = z
  .string()
  .min(1, 'must not be empty')
  .max(32, 'must be at most 32 characters')
  .regex(/^[A-Za-z0-9_.-]+$/, 'may hold only letters, digits, "_", "." and "-"');

const fraction = z.number().min(0).max(1);
const positiveFraction = z.number().gt(0).max(1);

export const WorkloadSchema = z.strictObject({
  kind: z.enum(['sweep', 'uniform', 'hotset', 'idle']).default('uniform'),
  dirtyMiBps: z.number().min(0).max(LIMITS.bandwidthMiBps).default(8),
  workingSetFraction: positiveFraction.default(1),
  hotFraction: positiveFraction.default(0.1),
  hotShare: fraction.default(0.9),
  writeBytes: z
    .number()
    .int()
    .min(4)
    .max(4096)
    .refine((n) => n % 4 === 0, 'must be a multiple of 4')
    .default(4096),
});

export const HostSchema = z.strictObject({
  id,
  cpus: z.number().int().min(1).max(256).default(8),
});

export const LinkSchema = z.strictObject({
  a: id,
  b: id,
  bandwidthMiBps: z.number().gt(0).max(LIMITS.bandwidthMiBps).default(128),
  latencyUs: z.number().min(0).max(LIMITS.latencyUs).default(100),
  /** The link goes down at this time (a failure injected into the run). */
  downAtMs: z.number().min(0).max(LIMITS.timeMs).optional(),
});

export const VmSchema = z.strictObject({
  id,
  host: id,
  vcpus: z.number().int().min(1).max(64).default(2),
  memoryMiB: z.number().int().min(1).max(LIMITS.vmMemoryMiB).default(256),
  memoryFill: fraction.default(1),
  workload: WorkloadSchema.prefault({}),
  diskMiB: z.number().int().min(0).max(LIMITS.diskMiB).default(64),
  diskWriteMiBps: z.number().min(0).max(LIMITS.bandwidthMiBps).default(1),
});

export const StrategySchema = z.enum(['stopcopy', 'precopy', 'postcopy', 'hybrid']);

export const MigrationSchema = z.strictObject({
  vm: id,
  to: id,
  atMs: z.number().min(0).max(LIMITS.timeMs).default(0),
  strategy: StrategySchema.default('precopy'),
  downtimeLimitMs: z.number().gt(0).max(60_000).default(300),
  maxRounds: z.number().int().min(1).max(1000).default(30),
  bandwidthLimitMiBps: z.number().gt(0).max(LIMITS.bandwidthMiBps).optional(),
  autoConverge: z.boolean().default(false),
  xbzrle: z.strictObject({ cacheMiB: z.number().int().min(1).max(1024).default(64) }).optional(),
  precopyPasses: z.number().int().min(0).max(100).default(0),
  deviceStateKiB: z.number().int().min(0).max(65_536).default(256),
  storage: z.enum(['shared', 'local']).default('shared'),
  /** The operator cancels the migration at this time. */
  cancelAtMs: z.number().min(0).max(LIMITS.timeMs).optional(),
});

export const ScenarioSchema = z.strictObject({
  version: z.literal(SCENARIO_VERSION),
  seed: z.number().int().min(0).max(0xffffffff).default(1),
  name: z.string().max(120).optional(),
  description: z.string().max(2000).optional(),
  hosts: z.array(HostSchema).min(1).max(LIMITS.hosts),
  links: z.array(LinkSchema).max(LIMITS.links).default([]),
  vms: z.array(VmSchema).max(LIMITS.vms).default([]),
  migrations: z.array(MigrationSchema).max(LIMITS.migrations).default([]),
  /** Stop the run at this time; without it the run ends when every mechanism is done. */
  durationMs: z.number().gt(0).max(LIMITS.timeMs).optional(),
  maxEvents: z.number().int().min(1).max(LIMITS.maxEvents).default(LIMITS.defaultMaxEvents),
});

export type Scenario = z.output<typeof ScenarioSchema>;
export type ScenarioInput = z.input<typeof ScenarioSchema>;
export type VmConfig = Scenario['vms'][number];
export type MigrationConfig = Scenario['migrations'][number];
export type LinkConfig = Scenario['links'][number];
export type HostConfig = Scenario['hosts'][number];
export type Strategy = z.output<typeof StrategySchema>;
