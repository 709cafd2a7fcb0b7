import { PCI_MSIX_ENTRY_SIZE } from '../hw/pciConfig';
import type { Nanos } from '../kernel/clock';
import { buildPhysicalDevice, CATALOGUE, type DeviceModel, type PhysicalDevice } from './catalogue';
import { buildPolicy, type Policy } from './policy';
import type { ProbeResult } from './probe';
import type { DeviceConfig, DeviceStrategy } from './schema';

/** Latency histogram: 100 ns buckets up to 409.6 µs, the last one holds everything slower. */
export const LATENCY_BUCKET_NS = 100;
export const LATENCY_BUCKETS = 4096;

/** A stretch of the run in which the VM's I/O went one way (passthrough, emulated fallback, ...). */
export interface IoSegment {
  label: string;
  strategy: DeviceStrategy;
  trap: boolean;
  startNs: Nanos;
  ios: number;
  exits: number;
  latencyNs: number;
}

/** The last guest access, as the lab highlights it. */
export interface LastAccess {
  kind: 'read' | 'write' | 'mmio' | '';
  offset: number;
  size: number;
  value: number;
  path: string;
  note: string;
  step: number;
}

export type DeviceStage = 'idle' | 'probe' | 'io' | 'detached' | 'done';

/** Every number of a device that changes during a run (cloned for snapshots). */
export interface DeviceScalars {
  stage: DeviceStage;
  /** The VM the device serves now ('' when free). */
  vm: string;
  /** This device generates the VM's I/O now. */
  active: boolean;
  /** The VM's passthrough device was hot-unplugged: its I/O runs on an emulated device. */
  fallback: boolean;
  probeStep: number;
  configReads: number;
  configWrites: number;
  writesToVirtual: number;
  writesToHardware: number;
  writesDropped: number;
  vmExits: number;
  ioExits: number;
  mmioTrapped: number;
  ios: number;
  ioStartNs: Nanos;
  busyUntilNs: Nanos;
  dmaBytes: number;
  iommuBlocked: number;
  interrupts: number;
  latencySumNs: number;
  /** Guest reads whose value was not the policy's formula; physical changes outside the allowed bits. */
  readMismatches: number;
  illegalPhysicalChanges: number;
  /** DMA bytes that landed outside the device's VM, and where. */
  strayDmaBytes: number;
  strayTarget: string;
  /** The guest moved the host's device (direct-unsafe BAR programming). */
  hostBarsMoved: number;
  movedBarMask: number;
  dmaMismatches: number;
  segments: IoSegment[];
  last: LastAccess;
  /** This device was attached to a migrated VM with the config restored from the copy. */
  restoredFrom: string;
  note: string;
}

/** One device of the scenario: the host's physical device, the guest's view of it, and its I/O. */
export class DeviceRun {
  readonly model: DeviceModel;
  /** The host's device (for an emulated device: the software model's config, kept apart). */
  readonly phys: PhysicalDevice;
  /** The guest's config space: vfio's copy (passthrough) or the software device's own (emulated). */
  readonly vconfig: Uint8Array;
  readonly policy: Policy;
  /** The MSI-X table as the guest programmed it, and as the host programmed the hardware. */
  readonly vtable: Uint8Array;
  readonly ptable: Uint8Array;
  /** The physical space when the host handed the device over (for the lab's before/after). */
  readonly physAtStart: Uint8Array;
  readonly latency: Uint32Array;
  /** The guest driver's probe, planned at install against a scratch copy and replayed event by event. */
  probe: ProbeResult = { steps: [], bars: [], capabilities: [], msixVectors: 0 };
  s: DeviceScalars;

  constructor(
    readonly index: number,
    readonly config: DeviceConfig,
    /** Which device of its host this is (where the host put its BARs). */
    readonly slot: number,
  ) {
    this.model = CATALOGUE[config.model];
    this.phys = buildPhysicalDevice(config.model, slot);
    this.physAtStart = this.phys.cfg.slice();
    const { policy, vconfig } = buildPolicy(this.phys.cfg);
    this.policy = policy;
    this.vconfig = config.strategy === 'emulated' ? this.phys.cfg.slice() : vconfig;
    const tableBytes = this.model.msix.vectors * PCI_MSIX_ENTRY_SIZE;
    this.vtable = new Uint8Array(tableBytes);
    this.ptable = new Uint8Array(tableBytes);
    for (let v = 0; v < this.model.msix.vectors; v++) {
      this.vtable[v * PCI_MSIX_ENTRY_SIZE + 12] = 1;
      this.ptable[v * PCI_MSIX_ENTRY_SIZE + 12] = 1;
    }
    this.latency = new Uint32Array(LATENCY_BUCKETS);
    this.s = initialScalars(config.vm ?? '');
  }

  get id(): string {
    return this.config.id;
  }

  get strategy(): DeviceStrategy {
    return this.s.fallback ? 'emulated' : this.config.strategy;
  }

  /** The copy is what the guest sees (passthrough); the others show their own space. */
  get usesCopy(): boolean {
    return this.config.strategy === 'passthrough';
  }

  snapshot(): DeviceSnapshot {
    return {
      s: structuredClone(this.s),
      phys: this.phys.cfg.slice(),
      vconfig: this.vconfig.slice(),
      vtable: this.vtable.slice(),
      ptable: this.ptable.slice(),
      latency: this.latency.slice(),
    };
  }

  restore(snap: DeviceSnapshot): void {
    this.s = structuredClone(snap.s);
    this.phys.cfg.set(snap.phys);
    this.vconfig.set(snap.vconfig);
    this.vtable.set(snap.vtable);
    this.ptable.set(snap.ptable);
    this.latency.set(snap.latency);
  }
}

export interface DeviceSnapshot {
  s: DeviceScalars;
  phys: Uint8Array;
  vconfig: Uint8Array;
  vtable: Uint8Array;
  ptable: Uint8Array;
  latency: Uint32Array;
}

function initialScalars(vm: string): DeviceScalars {
  return {
    stage: 'idle',
    vm,
    active: false,
    fallback: false,
    probeStep: 0,
    configReads: 0,
    configWrites: 0,
    writesToVirtual: 0,
    writesToHardware: 0,
    writesDropped: 0,
    vmExits: 0,
    ioExits: 0,
    mmioTrapped: 0,
    ios: 0,
    ioStartNs: -1,
    busyUntilNs: 0,
    dmaBytes: 0,
    iommuBlocked: 0,
    interrupts: 0,
    latencySumNs: 0,
    readMismatches: 0,
    illegalPhysicalChanges: 0,
    strayDmaBytes: 0,
    strayTarget: '',
    hostBarsMoved: 0,
    movedBarMask: 0,
    dmaMismatches: 0,
    segments: [],
    last: { kind: '', offset: 0, size: 0, value: 0, path: '', note: '', step: -1 },
    restoredFrom: '',
    note: '',
  };
}
