import { z } from 'zod';
import { isPowerOfTwo } from '../hw/virtioRing';
import { id } from '../scenario/fields';

export const NetStrategySchema = z.enum(['per-packet', 'event-idx', 'timer', 'cluster']);
export const TriggerSchema = z.enum(['count', 'ring-full', 'exit', 'idle']);

/** Defaults from MECHANISMS.md's cost table (today's KVM, 3 GHz). */
export const CostsSchema = z.strictObject({
  /** VM exit + entry handled in the kernel: kvm-unit-tests vmexit, 1,018-1,559 cycles. */
  exitNs: z.number().int().min(0).max(1_000_000).default(400),
  /** VMM-to-kernel transition: a user-space exit (1.2 us) less the in-kernel one (400 ns). The patent's era: 22,700. */
  transitionNs: z.number().int().min(0).max(1_000_000).default(800),
  /** Wake-up of another CPU: guest IPI round trip, 3,200-3,600 cycles. */
  wakeNs: z.number().int().min(0).max(1_000_000).default(1100),
  /** Interrupt injection with APICv: kvm-unit-tests tscdeadline_immed, 2,919 cycles. */
  interruptNs: z.number().int().min(0).max(1_000_000).default(1000),
  /** Memory copy, measured on these machines (14.5 GB/s memcpy, rounded down). */
  copyGBps: z.number().gt(0).max(1000).default(10),
});

export const TrafficSchema = z.strictObject({
  kind: z.enum(['constant', 'bursty', 'imix', 'request-response']).default('imix'),
  /** Offered packets per second; absent: back to back at the line rate. */
  packetsPerSec: z.number().gt(0).max(100_000_000).optional(),
  /** Frame size for constant, bursty and request-response (IMIX draws 64/594/1518 as 7:4:1). */
  sizeBytes: z.number().int().min(64).max(1518).default(1518),
  flows: z.number().int().min(1).max(64).default(4),
  onMs: z.number().gt(0).max(10_000).default(1),
  offMs: z.number().min(0).max(10_000).default(4),
});

/** One entry of the scenario's `networks` section: one VM's virtio-net queue pair. */
export const NetworkSchema = z.strictObject({
  vm: id,
  direction: z.enum(['tx', 'rx', 'both']).default('tx'),
  ringSize: z
    .number()
    .int()
    .min(2)
    .max(4096)
    .refine(isPowerOfTwo, 'must be a power of two (virtio split rings are)')
    .default(256),
  strategy: NetStrategySchema.default('cluster'),
  /** VMware's send combining waits for at most 3 packets (Sugerman et al., USENIX ATC 2001, section 3). */
  clusterPackets: z.number().int().min(1).max(4096).default(3),
  /** One host timer tick (send combining's bound). */
  maxWaitUs: z.number().gt(0).max(1_000_000).default(1000),
  /** QEMU virtio-net tx=timer: 150 us or 256 packets [qemu include/hw/virtio/virtio-net.h]. */
  timerUs: z.number().gt(0).max(1_000_000).default(150),
  txBurst: z.number().int().min(1).max(4096).default(256),
  offload: z.boolean().default(false),
  /** Which events let a cluster go (with the count, the bound always holds). */
  triggers: z.array(TriggerSchema).max(4).default(['count', 'ring-full', 'exit', 'idle']),
  /** mlx5 NIC coalescing defaults: 16 us or 32 frames. */
  coalesce: z
    .strictObject({
      usecs: z.number().min(0).max(100_000).default(16),
      frames: z.number().int().min(1).max(4096).default(32),
    })
    .prefault({}),
  /** Linux NAPI weight. */
  napiBudget: z.number().int().min(1).max(4096).default(64),
  lineRateGbps: z.number().gt(0).max(400).default(10),
  traffic: TrafficSchema.prefault({}),
  costs: CostsSchema.prefault({}),
  /** How long the traffic sources send; the run ends once everything sent is delivered. */
  durationMs: z.number().gt(0).max(10_000).default(20),
  /** The guest halts when its next packet is further off: KVM's halt_poll_ns default, 200 us. */
  idleUs: z.number().min(0).max(1_000_000).default(200),
  /** Guest timer tick, an exit the VM takes anyway: CONFIG_HZ=250 (assumption: Debian's default). */
  tickUs: z.number().gt(0).max(1_000_000).default(4000),
});

export type NetworkConfig = z.output<typeof NetworkSchema>;
export type NetStrategy = z.output<typeof NetStrategySchema>;
export type Trigger = z.output<typeof TriggerSchema> | 'bound' | 'timer' | 'burst' | 'kick' | 'poll' | 'coalesce';

/** One network per VM, on a VM that exists. */
export function checkNetworks(s: { vms: { id: string }[]; networks: NetworkConfig[] }) {
  const errors: { path: string; message: string }[] = [];
  const seen = new Set<string>();
  s.networks.forEach((n, i) => {
    if (!s.vms.some((v) => v.id === n.vm))
      errors.push({ path: `networks[${i}].vm`, message: `no VM with id "${n.vm}"` });
    else if (seen.has(n.vm))
      errors.push({ path: `networks[${i}].vm`, message: `VM "${n.vm}" already has a network; one per VM` });
    seen.add(n.vm);
  });
  return errors;
}
