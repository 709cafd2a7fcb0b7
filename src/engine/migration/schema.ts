import { z } from 'zod';
import { bandwidthMiBps, id, timeMs } from '../scenario/fields';

export const MigrationStrategySchema = z.enum(['stopcopy', 'precopy', 'postcopy', 'hybrid']);
export const SyncPolicySchema = z.enum(['rounds', 'qemu']);

/** One entry of the scenario's `migrations` section. */
export const MigrationSchema = z.strictObject({
  vm: id,
  to: id,
  atMs: timeMs.default(0),
  strategy: MigrationStrategySchema.default('precopy'),
  downtimeLimitMs: z.number().gt(0).max(60_000).default(300),
  maxRounds: z.number().int().min(1).max(1000).default(30),
  /** QEMU's max-bandwidth: caps the live phase (pre-copy passes, post-copy's background push). */
  bandwidthLimitMiBps: bandwidthMiBps.optional(),
  /**
   * Keep the cap while the VM is stopped too, as scenarios of version 1 did (versions.ts sets it
   * on their capped migrations). QEMU lifts it at switchover: migration_completion() sets the rate
   * limit to INT64_MAX before qemu_savevm_state_complete_precopy(), so the stopped part runs at
   * the link's speed.
   */
  capSwitchover: z.boolean().default(false),
  /**
   * When pre-copy syncs the dirty log and stops the VM. `rounds`: at the end of each pass (the
   * textbook and SimGrid model); `qemu`: QEMU 7.2's loop, see strategies/qemuSync.ts.
   */
  syncPolicy: SyncPolicySchema.default('rounds'),
  autoConverge: z.boolean().default(false),
  xbzrle: z.strictObject({ cacheMiB: z.number().int().min(1).max(1024).default(64) }).optional(),
  precopyPasses: z.number().int().min(0).max(100).default(0),
  deviceStateKiB: z.number().int().min(0).max(65_536).default(256),
  storage: z.enum(['shared', 'local']).default('shared'),
  /** The operator cancels the migration at this time. */
  cancelAtMs: timeMs.optional(),
});

export type MigrationConfig = z.output<typeof MigrationSchema>;
export type MigrationStrategy = z.output<typeof MigrationStrategySchema>;
export type SyncPolicy = z.output<typeof SyncPolicySchema>;

/** One migration per VM, to a known host other than its own, over a link that joins them. */
export function checkMigrations(s: {
  hosts: { id: string }[];
  links: { a: string; b: string }[];
  vms: { id: string; host: string }[];
  migrations: MigrationConfig[];
}): { path: string; message: string }[] {
  const errors: { path: string; message: string }[] = [];
  const hostIds = new Set(s.hosts.map((h) => h.id));
  const migrating = new Set<string>();
  s.migrations.forEach((m, i) => {
    const vm = s.vms.find((v) => v.id === m.vm);
    if (!vm) {
      errors.push({ path: `migrations[${i}].vm`, message: `no VM with id "${m.vm}"` });
      return;
    }
    if (migrating.has(m.vm)) {
      errors.push({ path: `migrations[${i}].vm`, message: `VM "${m.vm}" already has a migration; one per VM` });
    }
    migrating.add(m.vm);
    if (!hostIds.has(m.to)) errors.push({ path: `migrations[${i}].to`, message: `no host with id "${m.to}"` });
    else if (m.to === vm.host)
      errors.push({ path: `migrations[${i}].to`, message: `VM "${m.vm}" already runs on "${vm.host}"` });
    else if (!s.links.some((l) => (l.a === vm.host && l.b === m.to) || (l.a === m.to && l.b === vm.host))) {
      errors.push({ path: `migrations[${i}].to`, message: `no link between "${vm.host}" and "${m.to}"` });
    }
  });
  return errors;
}
