import { z } from 'zod';
import { id, type WorldScenario } from '../scenario/fields';
import type { FieldError } from '../scenario/validate';

export const DeviceStrategySchema = z.enum(['emulated', 'passthrough', 'direct-unsafe']);
export const DeviceModelSchema = z.enum(['e1000e', 'nvme', 'gpu']);

/** Costs from the table in shared/MECHANISMS.md ("Cost defaults"), cycles at 3 GHz. */
export const DeviceCostsSchema = z.strictObject({
  /** VM exit + entry handled in the kernel: kvm-unit-tests vmexit, 1,018-1,559 cycles. */
  exitNs: z.number().int().min(0).max(1_000_000).default(400),
  /** Exit handled in user space (the QEMU device model): about 3x the in-kernel exit. */
  userExitNs: z.number().int().min(0).max(1_000_000).default(1200),
  /** A guest config access through 0xCF8/0xCFC: two user-space exits. */
  configAccessNs: z.number().int().min(0).max(1_000_000).default(2400),
  /** Emulated NIC, per packet with interrupt mitigation (emulated e1000 under KVM, 140 kpps). */
  emulatedIoNs: z.number().int().min(0).max(10_000_000).default(7000),
});

/** One entry of the scenario's `devices` section: a PCI device on a host, perhaps given to a VM. */
export const DeviceSchema = z.strictObject({
  id,
  host: id,
  model: DeviceModelSchema,
  /** The VM the device is given to; without one the device is free (a spare on its host). */
  vm: id.optional(),
  strategy: DeviceStrategySchema.default('passthrough'),
  /** Passthrough: every MMIO access exits and the hypervisor translates it (the patent's trap mode). */
  trap: z.boolean().default(false),
  iommu: z.boolean().default(true),
  io: z
    .strictObject({
      opsPerSec: z.number().int().min(1).max(1_000_000).default(10_000),
      bytesPerOp: z
        .number()
        .int()
        .min(4)
        .max(65_536)
        .refine((n) => n % 4 === 0, 'must be a multiple of 4')
        .default(1500),
    })
    .prefault({}),
  costs: DeviceCostsSchema.prefault({}),
});

export type DeviceConfig = z.output<typeof DeviceSchema>;
export type DeviceStrategy = z.output<typeof DeviceStrategySchema>;

/**
 * Added by this mechanism to each `migrations[]` entry: what to do with the VM's passthrough
 * devices. Absent means `refuse` (left out of the resolved scenario so existing links resolve unchanged).
 */
export const MigrationPassthroughSchema = z.enum(['refuse', 'detach']).optional();

/** Devices on known hosts, each given to at most one VM, on the host that VM runs on. */
export function checkDevices(s: WorldScenario, devices: DeviceConfig[]): FieldError[] {
  const errors: FieldError[] = [];
  const hosts = new Set(s.hosts.map((h) => h.id));
  const owner = new Map<string, { vm?: string; index: number }>();
  devices.forEach((d, i) => {
    if (!hosts.has(d.host)) errors.push({ path: `devices[${i}].host`, message: `no host with id "${d.host}"` });
    const first = owner.get(d.id);
    if (first) {
      errors.push(
        first.vm && d.vm && first.vm !== d.vm
          ? {
              path: `devices[${i}].vm`,
              message: `device "${d.id}" is already given to VM "${first.vm}" (devices[${first.index}]); a device serves one VM`,
            }
          : { path: `devices[${i}].id`, message: `duplicate device id "${d.id}"` },
      );
      return;
    }
    owner.set(d.id, { vm: d.vm, index: i });
    if (d.vm === undefined) return;
    const vm = s.vms.find((v) => v.id === d.vm);
    if (!vm) errors.push({ path: `devices[${i}].vm`, message: `no VM with id "${d.vm}"` });
    else if (vm.host !== d.host) {
      errors.push({
        path: `devices[${i}].host`,
        message: `device "${d.id}" is on "${d.host}" but its VM "${d.vm}" runs on "${vm.host}"; a device is given to a VM on its own host`,
      });
    }
  });
  return errors;
}
