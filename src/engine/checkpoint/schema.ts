import { z } from 'zod';
import { id, timeMs, type WorldScenario } from '../scenario/fields';
import type { FieldError } from '../scenario/validate';

export const CheckpointStrategySchema = z.enum(['remus', 'delta', 'feedback']);

/** Costs of one checkpoint, from the cost table of MECHANISMS.md (each row's basis in its comment). */
export const CheckpointCostsSchema = z.strictObject({
  /** Pause and resume, fixed part: Remus fast suspend over an event channel, 1 ms (xen-devel, 2008). */
  stunUs: z.number().min(0).max(1_000_000).default(1000),
  /** Dirty-bitmap scan: 64 GiB of bitmap in 1.5 ms, measured here (0.1 ns a page). */
  scanNsPerPage: z.number().min(0).max(1_000_000).default(0.1),
  /** Clear and re-protect a dirty page: KVM_CLEAR_DIRTY_LOG on the TDP MMU, 43-75 ns a page. */
  clearNsPerDirtyPage: z.number().min(0).max(1_000_000).default(50),
  /** Copy a page to the staging buffer: 466 ns per scattered page, measured here. */
  copyNsPerPage: z.number().min(0).max(1_000_000).default(450),
});

/** One entry of the scenario's `checkpoints` section: a VM protected by a backup host. */
export const CheckpointSchema = z.strictObject({
  vm: id,
  /** The host that holds the backup copy and takes over. */
  backup: id,
  atMs: timeMs.default(0),
  strategy: CheckpointStrategySchema.default('remus'),
  /** Epoch length: `xl remus -i` defaults to 200 ms; Remus ran as short as 25 ms. */
  epochMs: z.number().min(1).max(10_000).default(200),
  outputCommit: z.boolean().default(true),
  /** Xen's delta cache: 8192 pages [xc_compression.c DELTA_CACHE_SIZE]; also the bound of feedback's shadow cache. */
  cachePages: z
    .number()
    .int()
    .min(1)
    .max(1 << 20)
    .default(8192),
  diffs: z.boolean().default(true),
  history: z.boolean().default(true),
  heartbeatMs: z.number().gt(0).max(60_000).default(100),
  heartbeatMisses: z.number().int().min(1).max(100).default(3),
  traffic: z
    .strictObject({
      requestsPerSec: z.number().min(0).max(1_000_000).default(1000),
      responseBytes: z.number().int().min(1).max(65_536).default(1500),
    })
    .prefault({}),
  costs: CheckpointCostsSchema.prefault({}),
});

/** Fields checkpointing adds to hosts: a host failure at a time (a world fault, like `links[].downAtMs`). */
export const HOST_FIELDS = { failAtMs: timeMs.optional() };

export type CheckpointConfig = z.output<typeof CheckpointSchema>;
export type CheckpointStrategyName = z.output<typeof CheckpointStrategySchema>;
export type CheckpointCosts = z.output<typeof CheckpointCostsSchema>;

/** One checkpoint per VM, to a known host other than its own, over a link that joins them, in a run with an end. */
export function checkCheckpoints(s: WorldScenario, checkpoints: CheckpointConfig[]): FieldError[] {
  const errors: FieldError[] = [];
  const hostIds = new Set(s.hosts.map((h) => h.id));
  const protectedVms = new Set<string>();
  checkpoints.forEach((c, i) => {
    const vm = s.vms.find((v) => v.id === c.vm);
    if (!vm) {
      errors.push({ path: `checkpoints[${i}].vm`, message: `no VM with id "${c.vm}"` });
      return;
    }
    if (protectedVms.has(c.vm))
      errors.push({ path: `checkpoints[${i}].vm`, message: `VM "${c.vm}" already has a checkpoint; one per VM` });
    protectedVms.add(c.vm);
    if (!hostIds.has(c.backup))
      errors.push({ path: `checkpoints[${i}].backup`, message: `no host with id "${c.backup}"` });
    else if (c.backup === vm.host)
      errors.push({
        path: `checkpoints[${i}].backup`,
        message: `the backup must be another host than the primary "${vm.host}"`,
      });
    else if (!s.links.some((l) => (l.a === vm.host && l.b === c.backup) || (l.a === c.backup && l.b === vm.host)))
      errors.push({ path: `checkpoints[${i}].backup`, message: `no link between "${vm.host}" and "${c.backup}"` });
  });
  if (checkpoints.length > 0 && s.durationMs === undefined)
    errors.push({
      path: 'durationMs',
      message: 'a checkpointed VM is protected until the run ends: the scenario needs a durationMs',
    });
  return errors;
}
