import { decodeBar, readConfig } from '../hw/pciConfig';
import type { PassthroughMechanism } from './mechanism';
import type { DeviceRun, IoSegment, LastAccess } from './model';
import type { ProbeStep } from './probe';
import { expectedGuestRead } from './verify';

/** How each config byte is treated, for colouring the dumps (see BYTE_CLASS_INFO). */
export const ByteClass = {
  unassigned: 0,
  copied: 1,
  virtualized: 2,
  passedThrough: 3,
  readOnly: 4,
  mixed: 5,
  emulated: 6,
  physical: 7,
} as const;

export const BYTE_CLASS_INFO: { id: number; name: string; meaning: string }[] = [
  {
    id: ByteClass.copied,
    name: 'copied, read-only',
    meaning: 'served from the virtual copy; guest writes dropped (IDs, capability pointers)',
  },
  {
    id: ByteClass.virtualized,
    name: 'virtualized',
    meaning: 'served from and written to the virtual copy (BARs, MSI address and data)',
  },
  {
    id: ByteClass.passedThrough,
    name: 'passed through',
    meaning: 'read from and written to the hardware (command enables, AER masks)',
  },
  { id: ByteClass.readOnly, name: 'read-only', meaning: 'read from the hardware; guest writes dropped' },
  {
    id: ByteClass.mixed,
    name: 'mixed',
    meaning: 'some bits from the copy, some from the hardware (command, status, PM control)',
  },
  {
    id: ByteClass.unassigned,
    name: 'unassigned',
    meaning: 'no capability: raw access to the hardware, as vfio allows',
  },
  { id: ByteClass.emulated, name: 'emulated', meaning: 'a software device: every byte is the VMM’s' },
  { id: ByteClass.physical, name: 'physical (unsafe)', meaning: 'the guest reads and writes the host’s device itself' },
];

export interface BarView {
  index: number;
  kind: string;
  size: number;
  label: string;
  hostAtStart: number;
  hostNow: number;
  guest: number;
  /** The sizing handshake as the probe did it: write all ones, read back. */
  sizing: { writeStep: number; readStep: number; readback: number } | null;
}

export interface DeviceView {
  id: string;
  model: string;
  vendorDevice: string;
  host: string;
  vm: string;
  strategy: string;
  trap: boolean;
  iommu: boolean;
  stage: string;
  fallback: boolean;
  restoredFrom: string;
  physical: Uint8Array;
  physicalAtStart: Uint8Array;
  virtual: Uint8Array;
  guest: Uint8Array;
  classes: Uint8Array;
  hidden: { id: number; offset: number; extended: boolean }[];
  probe: { total: number; next: number; window: (ProbeStep & { index: number })[] };
  last: LastAccess;
  bars: BarView[];
  msix: { vectors: number; guest: number[][]; host: number[][] };
  segments: IoSegment[];
}

export interface PassthroughView {
  devices: DeviceView[];
}

export function byteClasses(run: DeviceRun): Uint8Array {
  const out = new Uint8Array(run.vconfig.length);
  if (run.config.strategy === 'emulated') return out.fill(ByteClass.emulated);
  if (run.config.strategy === 'direct-unsafe') return out.fill(ByteClass.physical);
  const { virt, write, map } = run.policy;
  for (let i = 0; i < out.length; i++) {
    const v = virt[i];
    const w = write[i];
    if (map[i] === 0xff) out[i] = ByteClass.unassigned;
    else if (v === 0xff) out[i] = w ? ByteClass.virtualized : ByteClass.copied;
    else if (v === 0) out[i] = w ? ByteClass.passedThrough : ByteClass.readOnly;
    else out[i] = ByteClass.mixed;
  }
  return out;
}

export function deviceView(run: DeviceRun): DeviceView {
  const s = run.s;
  const guest = new Uint8Array(run.vconfig.length);
  for (let i = 0; i < guest.length; i += 4) {
    const v = expectedGuestRead(run, i, 4);
    guest[i] = v & 0xff;
    guest[i + 1] = (v >>> 8) & 0xff;
    guest[i + 2] = (v >>> 16) & 0xff;
    guest[i + 3] = v >>> 24;
  }
  const steps = run.probe.steps;
  // A device attached with a restored copy was never probed: the guest already knows it.
  const next = s.restoredFrom ? steps.length : Math.min(s.probeStep, steps.length);
  const from = Math.max(0, next - 8);
  const window = steps.slice(from, Math.min(steps.length, next + 6)).map((st, k) => ({ ...st, index: from + k }));
  const startCopy = new Uint8Array(run.physAtStart.length);
  startCopy.set(run.physAtStart);
  const guestBar = (i: number) => decodeBar(guest, i).address;
  const bars: BarView[] = run.model.bars.map((b) => {
    const w = steps.findIndex(
      (st) => st.kind === 'write' && st.offset === 0x10 + 4 * b.index && st.value === 0xffffffff,
    );
    const r = w >= 0 ? w + 1 : -1;
    return {
      index: b.index,
      kind: b.kind,
      size: b.size,
      label: b.label,
      hostAtStart: run.phys.hostBars[b.index],
      hostNow: decodeBar(run.phys.cfg, b.index).address,
      guest: guestBar(b.index),
      sizing: w >= 0 ? { writeStep: w, readStep: r, readback: steps[r].value } : null,
    };
  });
  const entries = (table: Uint8Array) =>
    Array.from({ length: Math.min(run.model.msix.vectors, 8) }, (_, v) =>
      [0, 4, 8, 12].map((o) => readConfig(table, v * 16 + o, 4)),
    );
  return {
    id: run.id,
    model: run.model.name,
    vendorDevice: `${run.model.vendor.toString(16).padStart(4, '0')}:${run.model.device.toString(16).padStart(4, '0')}`,
    host: run.config.host,
    vm: s.vm,
    strategy: run.config.strategy,
    trap: run.config.trap,
    iommu: run.config.iommu,
    stage: s.stage,
    fallback: s.fallback,
    restoredFrom: s.restoredFrom,
    physical: run.phys.cfg.slice(),
    physicalAtStart: startCopy,
    virtual: run.vconfig.slice(),
    guest,
    classes: byteClasses(run),
    hidden: run.policy.hidden.slice(),
    probe: { total: steps.length, next, window },
    last: { ...s.last },
    bars,
    msix: { vectors: run.model.msix.vectors, guest: entries(run.vtable), host: entries(run.ptable) },
    segments: s.segments.map((g) => ({ ...g })),
  };
}

export function passthroughView(m: PassthroughMechanism): PassthroughView {
  return { devices: m.runs.map(deviceView) };
}
