import { z } from 'zod';
import { LIMITS } from './limits';

/** Field types every section shares: ids, fractions, times. */
export const id = z
  .string()
  .min(1, 'must not be empty')
  .max(32, 'must be at most 32 characters')
  .regex(/^[A-Za-z0-9_.-]+$/, 'may hold only letters, digits, "_", "." and "-"');

export const fraction = z.number().min(0).max(1);
export const positiveFraction = z.number().gt(0).max(1);
export const timeMs = z.number().min(0).max(LIMITS.timeMs);
export const bandwidthMiBps = z.number().gt(0).max(LIMITS.bandwidthMiBps);

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

/** The world every mechanism lives in: hosts, links and VMs. Mechanisms may add fields to these. */
export const HostSchema = z.strictObject({
  id,
  cpus: z.number().int().min(1).max(256).default(8),
});

export const LinkSchema = z.strictObject({
  a: id,
  b: id,
  bandwidthMiBps: bandwidthMiBps.default(128),
  latencyUs: z.number().min(0).max(LIMITS.latencyUs).default(100),
  /** The link goes down at this time (a failure injected into the run). */
  downAtMs: timeMs.optional(),
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

export type HostConfig = z.output<typeof HostSchema>;
export type LinkConfig = z.output<typeof LinkSchema>;
export type VmConfig = z.output<typeof VmSchema>;

/**
 * A resolved scenario as the world and each mechanism see it: the shared sections typed,
 * each mechanism's own section read with `sectionOf`. (The full `Scenario` type is composed
 * from the registry, which mechanisms cannot name without a cycle.)
 */
export interface WorldScenario {
  version: number;
  seed: number;
  name?: string;
  description?: string;
  hosts: HostConfig[];
  links: LinkConfig[];
  vms: VmConfig[];
  durationMs?: number;
  maxEvents: number;
  readonly [section: string]: unknown;
}

/** A mechanism's section of a resolved scenario (`[]` when absent). */
export function sectionOf<T>(scenario: WorldScenario, key: string): T[] {
  return (scenario[key] as T[] | undefined) ?? [];
}
