import { configHex } from '../hw/pciConfig';
import type { Nanos } from '../kernel/clock';
import { type DeviceRun, type IoSegment, LATENCY_BUCKET_NS } from './model';
import { verificationFailure } from './verify';

/** A device's figures (CLI `--json` under `devices`). */
export interface DeviceMetrics {
  id: string;
  model: string;
  host: string;
  vm: string;
  strategy: string;
  trap: boolean;
  iommu: boolean;
  stage: string;
  configReads: number;
  configWrites: number;
  writesToVirtual: number;
  writesToHardware: number;
  writesDropped: number;
  vmExits: number;
  exitsPerIo: number;
  mmioTrapped: number;
  ios: number;
  dmaBytes: number;
  iommuBlocked: number;
  interrupts: number;
  ioLatencyUs: { p50: number; p99: number; mean: number };
  iops: number;
  segments: IoSegment[];
  restoredFrom: string;
  /** The spaces at the end of the run, two hex digits per byte. */
  physicalConfig: string;
  virtualConfig: string;
  /** Every guest read matched the policy; the physical space changed only through writable non-virtualized bits (and DMA stayed in the VM). */
  verified: boolean;
  note: string;
}

export function deviceMetrics(run: DeviceRun, now: Nanos): DeviceMetrics {
  const s = run.s;
  const failure = verificationFailure(run);
  const elapsed = s.ioStartNs >= 0 ? now - s.ioStartNs : 0;
  return {
    id: run.id,
    model: run.model.id,
    host: run.config.host,
    vm: s.vm,
    strategy: run.config.strategy,
    trap: run.config.trap,
    iommu: run.config.iommu,
    stage: s.stage,
    configReads: s.configReads,
    configWrites: s.configWrites,
    writesToVirtual: s.writesToVirtual,
    writesToHardware: s.writesToHardware,
    writesDropped: s.writesDropped,
    vmExits: s.vmExits,
    exitsPerIo: s.ios > 0 ? s.ioExits / s.ios : 0,
    mmioTrapped: s.mmioTrapped,
    ios: s.ios,
    dmaBytes: s.dmaBytes,
    iommuBlocked: s.iommuBlocked,
    interrupts: s.interrupts,
    ioLatencyUs: {
      p50: percentileUs(run.latency, 0.5),
      p99: percentileUs(run.latency, 0.99),
      mean: s.ios > 0 ? s.latencySumNs / s.ios / 1000 : 0,
    },
    iops: elapsed > 0 ? (s.ios * 1e9) / elapsed : 0,
    segments: s.segments.map((g) => ({ ...g })),
    restoredFrom: s.restoredFrom,
    physicalConfig: configHex(run.phys.cfg),
    virtualConfig: configHex(run.vconfig),
    verified: failure === '',
    note: failure || s.note,
  };
}

/** The latency under which a fraction `q` of operations finished (bucket upper edge), in µs. */
export function percentileUs(hist: Uint32Array, q: number): number {
  let total = 0;
  for (let i = 0; i < hist.length; i++) total += hist[i];
  if (total === 0) return 0;
  const want = Math.ceil(q * total);
  let seen = 0;
  for (let i = 0; i < hist.length; i++) {
    seen += hist[i];
    if (seen >= want) return ((i + 1) * LATENCY_BUCKET_NS) / 1000;
  }
  return (hist.length * LATENCY_BUCKET_NS) / 1000;
}
