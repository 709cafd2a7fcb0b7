import {
  type BarKind,
  barFlags,
  barOffset,
  extCapHeader,
  PCI_CACHE_LINE_SIZE,
  PCI_CAP_ID_EXP,
  PCI_CAP_ID_MSI,
  PCI_CAP_ID_MSIX,
  PCI_CAP_ID_PM,
  PCI_CAPABILITY_LIST,
  PCI_CFG_SPACE_EXP_SIZE,
  PCI_CLASS_REVISION,
  PCI_COMMAND,
  PCI_ERR_CAP,
  PCI_ERR_COR_MASK,
  PCI_ERR_COR_STATUS,
  PCI_ERR_UNCOR_MASK,
  PCI_ERR_UNCOR_SEVER,
  PCI_ERR_UNCOR_STATUS,
  PCI_EXP_DEVCTL,
  PCI_EXP_DEVCTL2,
  PCI_EXP_LNKCTL,
  PCI_EXT_CAP_ID_DSN,
  PCI_EXT_CAP_ID_ERR,
  PCI_EXT_CAP_ID_L1SS,
  PCI_EXT_CAP_ID_LTR,
  PCI_EXT_CAP_ID_PWR,
  PCI_EXT_CAP_ID_SECPCI,
  PCI_HEADER_TYPE,
  PCI_INTERRUPT_LINE,
  PCI_INTERRUPT_PIN,
  PCI_LATENCY_TIMER,
  PCI_MSI_FLAGS_64BIT,
  PCI_MSI_FLAGS_MASKBIT,
  PCI_PM_CTRL,
  PCI_PM_CTRL_PME_ENABLE,
  PCI_PM_CTRL_STATE_MASK,
  PCI_STATUS,
  PCI_STATUS_CAP_LIST,
  PCI_SUBSYSTEM_ID,
  PCI_SUBSYSTEM_VENDOR_ID,
  PCI_VENDOR_ID,
  writeConfig,
} from '../hw/pciConfig';

export type DeviceModelId = 'e1000e' | 'nvme' | 'gpu';

export interface BarSpec {
  index: number;
  kind: BarKind;
  prefetchable: boolean;
  size: number;
  label: string;
}

export interface DeviceModel {
  id: DeviceModelId;
  name: string;
  vendor: number;
  device: number;
  bars: BarSpec[];
  msix: { bar: number; tableOffset: number; pbaOffset: number; vectors: number };
  /** Where the I/O doorbell the driver writes per operation sits. */
  doorbell: { bar: number; offset: number; name: string };
  /** MMIO accesses per I/O operation (doorbell write plus interrupt-cause read or completion doorbell). */
  mmioPerOp: number;
  /** The device's own data rate, bytes per second (line rate or PCIe link). */
  bytesPerSecond: number;
  /** Where the numbers come from. */
  source: string;
}

/** A physical device as the host sees it: its config space and which bits the silicon lets software change. */
export interface PhysicalDevice {
  model: DeviceModel;
  cfg: Uint8Array;
  /** Per bit: 1 where the hardware implements the bit as writable (read-only bits ignore writes). */
  hwMask: Uint8Array;
  /** Host-physical BAR addresses as the host assigned them (by BAR index). */
  hostBars: number[];
}

const KiB = 1024;
const MiB = 1024 * KiB;

// Assumption: per-operation MMIO counts and data rates are round figures for the class of device
// (a NIC at 1 GbE line rate; NVMe gen3 x4; a GPU on gen3 x16), not measurements.
export const CATALOGUE: Record<DeviceModelId, DeviceModel> = {
  e1000e: {
    id: 'e1000e',
    name: 'Intel 82574L Gigabit Network Connection (e1000e)',
    vendor: 0x8086,
    device: 0x10d3,
    // qemu hw/net/e1000e.c: E1000E_MMIO_SIZE, E1000E_FLASH_SIZE, E1000E_IO_SIZE, E1000E_MSIX_SIZE
    bars: [
      { index: 0, kind: 'mem32', prefetchable: false, size: 128 * KiB, label: 'MMIO registers' },
      { index: 1, kind: 'mem32', prefetchable: false, size: 128 * KiB, label: 'flash' },
      { index: 2, kind: 'io', prefetchable: false, size: 32, label: 'I/O ports (IOADDR/IODATA)' },
      { index: 3, kind: 'mem32', prefetchable: false, size: 16 * KiB, label: 'MSI-X table and PBA' },
    ],
    msix: { bar: 3, tableOffset: 0, pbaOffset: 0x2000, vectors: 5 },
    doorbell: { bar: 0, offset: 0x3818, name: 'TDT (transmit descriptor tail)' },
    mmioPerOp: 2,
    bytesPerSecond: 125_000_000,
    source:
      'qemu hw/net/e1000e.c (BAR sizes, MSI-X 5 vectors at 0 with PBA at 0x2000, caps PM c8, MSI d0, PCIe e0, MSI-X a0, AER 100, DSN 140)',
  },
  nvme: {
    id: 'nvme',
    name: 'Samsung 970 EVO Plus NVMe SSD',
    vendor: 0x144d,
    device: 0xa808,
    bars: [{ index: 0, kind: 'mem64', prefetchable: false, size: 16 * KiB, label: 'NVMe registers and doorbells' }],
    msix: { bar: 0, tableOffset: 0x3000, pbaOffset: 0x2000, vectors: 33 },
    doorbell: { bar: 0, offset: 0x1008, name: 'SQ1 tail doorbell' },
    mmioPerOp: 2,
    bytesPerSecond: 3_500_000_000,
    source:
      'lspci -vvv of a 970 EVO Plus (144d:a808, class 010802): BAR0 64-bit 16 KiB; caps PM 40, MSI 50, PCIe 70, MSI-X b0 (33 vectors, table 0x3000, PBA 0x2000); ext AER 100, DSN 148, power budgeting 158, secondary PCIe 168, LTR 188, L1SS 190',
  },
  gpu: {
    id: 'gpu',
    name: 'NVIDIA Tesla T4 GPU',
    vendor: 0x10de,
    device: 0x1eb8,
    bars: [
      { index: 0, kind: 'mem32', prefetchable: false, size: 16 * MiB, label: 'registers' },
      { index: 1, kind: 'mem64', prefetchable: true, size: 256 * MiB, label: 'VRAM aperture' },
      { index: 3, kind: 'mem64', prefetchable: true, size: 32 * MiB, label: 'doorbells / RAMIN' },
    ],
    msix: { bar: 0, tableOffset: 0xb90000, pbaOffset: 0xba0000, vectors: 6 },
    doorbell: { bar: 0, offset: 0x2200, name: 'channel doorbell' },
    mmioPerOp: 2,
    bytesPerSecond: 12_000_000_000,
    source:
      'lspci -vvv of a Tesla T4 (10de:1eb8, class 030200): BAR0 16 MiB, BAR1 256 MiB 64-bit prefetchable, BAR3 32 MiB 64-bit prefetchable; caps PM 60, MSI 68, PCIe 78, MSI-X c8; the ext caps kept here are a subset',
  },
};

/** Writes to a config space and, alongside, to the mask of bits the silicon lets software change. */
class SpaceBuilder {
  readonly cfg: Uint8Array;
  readonly hwMask: Uint8Array;
  private lastCap = PCI_CAPABILITY_LIST;
  private lastExt = -1;

  constructor(size: number) {
    this.cfg = new Uint8Array(size);
    this.hwMask = new Uint8Array(size);
  }

  set(offset: number, size: 1 | 2 | 4, value: number, writable = 0): this {
    writeConfig(this.cfg, offset, size, value);
    writeConfig(this.hwMask, offset, size, writable);
    return this;
  }

  /** Append a standard capability to the list (in list order). */
  cap(id: number, offset: number): this {
    this.cfg[this.lastCap] = offset;
    this.cfg[offset] = id;
    this.cfg[offset + 1] = 0;
    this.lastCap = offset + 1;
    const status = this.cfg[PCI_STATUS] | (this.cfg[PCI_STATUS + 1] << 8);
    writeConfig(this.cfg, PCI_STATUS, 2, status | PCI_STATUS_CAP_LIST);
    return this;
  }

  /** Append an extended capability (version 1 unless given) at `offset`. */
  ext(id: number, offset: number, version = 1): this {
    if (this.lastExt >= 0) {
      const prev = this.cfg[this.lastExt] | (this.cfg[this.lastExt + 1] << 8);
      writeConfig(this.cfg, this.lastExt, 4, extCapHeader(prev, this.cfg[this.lastExt + 2] & 0xf, offset));
    }
    writeConfig(this.cfg, offset, 4, extCapHeader(id, version, 0));
    this.lastExt = offset;
    return this;
  }
}

/** AER registers and the bits software may change in them (linux vfio's writable masks). */
function aer(b: SpaceBuilder, at: number): void {
  b.ext(PCI_EXT_CAP_ID_ERR, at, 2);
  b.set(at + PCI_ERR_UNCOR_STATUS, 4, 0, 0x03fff031);
  b.set(at + PCI_ERR_UNCOR_MASK, 4, 0x00400000, 0x03fff031);
  b.set(at + PCI_ERR_UNCOR_SEVER, 4, 0x00462030, 0x03fff031);
  b.set(at + PCI_ERR_COR_STATUS, 4, 0, 0xf1c1);
  b.set(at + PCI_ERR_COR_MASK, 4, 0x6000, 0xf1c1);
  b.set(at + PCI_ERR_CAP, 4, 0xa0, 0x1e0);
}

function header(b: SpaceBuilder, m: DeviceModel, classRev: number, subsys: [number, number]): void {
  b.set(PCI_VENDOR_ID, 2, m.vendor).set(PCI_VENDOR_ID + 2, 2, m.device);
  b.set(PCI_COMMAND, 2, 0, 0x0547);
  b.set(PCI_CLASS_REVISION, 4, classRev);
  b.set(PCI_CACHE_LINE_SIZE, 1, 0x10, 0xff).set(PCI_LATENCY_TIMER, 1, 0, 0xff).set(PCI_HEADER_TYPE, 1, 0);
  b.set(PCI_SUBSYSTEM_VENDOR_ID, 2, subsys[0]).set(PCI_SUBSYSTEM_ID, 2, subsys[1]);
  b.set(PCI_INTERRUPT_LINE, 1, 0xff, 0xff).set(PCI_INTERRUPT_PIN, 1, 1);
}

function pm(b: SpaceBuilder, at: number, pmc: number): void {
  b.cap(PCI_CAP_ID_PM, at)
    .set(at + 2, 2, pmc)
    .set(at + PCI_PM_CTRL, 2, 0x0008, PCI_PM_CTRL_STATE_MASK | PCI_PM_CTRL_PME_ENABLE);
}

function msi(b: SpaceBuilder, at: number, flags: number): void {
  b.cap(PCI_CAP_ID_MSI, at)
    .set(at + 2, 2, flags, 0x0071)
    .set(at + 4, 4, 0, 0xfffffffc);
  const is64 = (flags & PCI_MSI_FLAGS_64BIT) !== 0;
  if (is64) b.set(at + 8, 4, 0, 0xffffffff);
  b.set(at + (is64 ? 12 : 8), 2, 0, 0xffff);
  if (flags & PCI_MSI_FLAGS_MASKBIT) b.set(at + (is64 ? 16 : 12), 4, 0, 0xffffffff);
}

function msix(b: SpaceBuilder, at: number, m: DeviceModel): void {
  const x = m.msix;
  b.cap(PCI_CAP_ID_MSIX, at).set(at + 2, 2, x.vectors - 1, 0xc000);
  b.set(at + 4, 4, x.tableOffset | x.bar).set(at + 8, 4, x.pbaOffset | x.bar);
}

function pcie(b: SpaceBuilder, at: number, version: 1 | 2, devcap: number, lnkcap: number, lnksta: number): void {
  b.cap(PCI_CAP_ID_EXP, at).set(at + 2, 2, version);
  b.set(at + 4, 4, devcap)
    .set(at + PCI_EXP_DEVCTL, 2, 0x2810, 0x7fff)
    .set(at + 12, 4, lnkcap);
  b.set(at + PCI_EXP_LNKCTL, 2, 0, 0x0ffb).set(at + 18, 2, lnksta);
  if (version === 2) b.set(at + PCI_EXP_DEVCTL2, 2, 0, 0x063f);
}

/** Place the BARs at the host's addresses; the silicon implements only the address bits above the size. */
function bars(b: SpaceBuilder, m: DeviceModel, hostBars: number[]): void {
  for (const bar of m.bars) {
    const flags = barFlags(bar.kind, bar.prefetchable);
    const addr = hostBars[bar.index];
    const lowMask = (~(bar.size - 1) & (bar.kind === 'io' ? ~0x3 : ~0xf)) >>> 0;
    b.set(barOffset(bar.index), 4, ((addr % 0x100000000) | flags) >>> 0, lowMask);
    if (bar.kind === 'mem64') b.set(barOffset(bar.index + 1), 4, Math.floor(addr / 0x100000000), 0xffffffff);
  }
}

/** Where the host put this device's BARs: each aligned to its size in a window per device slot. */
export function hostBarAddresses(m: DeviceModel, slot: number): number[] {
  const out = [0, 0, 0, 0, 0, 0];
  let mem32 = 0xf0000000 + slot * 0x02000000;
  let mem64 = 0x3800_0000_0000 + slot * 0x4000_0000;
  let io = 0xe000 + slot * 0x100;
  const align = (a: number, size: number) => Math.ceil(a / size) * size;
  for (const bar of [...m.bars].sort((a, c) => c.size - a.size)) {
    if (bar.kind === 'io') {
      io = align(io, bar.size);
      out[bar.index] = io;
      io += bar.size;
    } else if (bar.kind === 'mem64') {
      mem64 = align(mem64, bar.size);
      out[bar.index] = mem64;
      mem64 += bar.size;
    } else {
      mem32 = align(mem32, bar.size);
      out[bar.index] = mem32;
      mem32 += bar.size;
    }
  }
  return out;
}

/** Build the physical device as found on a host, its BARs in the window of the host's slot. */
export function buildPhysicalDevice(modelId: DeviceModelId, slot: number): PhysicalDevice {
  const m = CATALOGUE[modelId];
  const hostBars = hostBarAddresses(m, slot);
  const b = new SpaceBuilder(PCI_CFG_SPACE_EXP_SIZE);
  if (modelId === 'e1000e') {
    // qemu hw/net/e1000e.c: pci_add_capability puts each new capability first, so the list
    // runs PM c8 -> MSI d0 -> PCIe e0 (v1) -> MSI-X a0; MSI: 1 vector, 64-bit, no masking.
    header(b, m, 0x02000000, [0x8086, 0x0000]);
    bars(b, m, hostBars);
    pm(b, 0xc8, 0x0023 | 0x0200);
    msi(b, 0xd0, PCI_MSI_FLAGS_64BIT);
    pcie(b, 0xe0, 1, 0x00008cc1, 0x00000811, 0x0011);
    msix(b, 0xa0, m);
    aer(b, 0x100);
    b.ext(PCI_EXT_CAP_ID_DSN, 0x140).set(0x144, 4, 0xff563412).set(0x148, 4, 0x525400ff);
  } else if (modelId === 'nvme') {
    header(b, m, 0x01080200, [0x144d, 0xa801]);
    bars(b, m, hostBars);
    pm(b, 0x40, 0x0003);
    msi(b, 0x50, PCI_MSI_FLAGS_64BIT | 0x000a);
    pcie(b, 0x70, 2, 0x10008fc0, 0x00477843, 0x1043);
    msix(b, 0xb0, m);
    aer(b, 0x100);
    b.ext(PCI_EXT_CAP_ID_DSN, 0x148).set(0x14c, 4, 0x00000000).set(0x150, 4, 0x00000000);
    b.ext(PCI_EXT_CAP_ID_PWR, 0x158);
    // vfio has no length for these two (pci_ext_cap_length leaves them 0): it unlinks them.
    b.ext(PCI_EXT_CAP_ID_SECPCI, 0x168);
    b.ext(PCI_EXT_CAP_ID_LTR, 0x188).set(0x18c, 4, 0x10031003, 0xffffffff);
    b.ext(PCI_EXT_CAP_ID_L1SS, 0x190).set(0x194, 4, 0x0028281f);
  } else {
    header(b, m, 0x030200a1, [0x10de, 0x12a2]);
    bars(b, m, hostBars);
    pm(b, 0x60, 0x0003);
    // Assumption: MSI with per-vector masking (24 bytes), so the catalogue shows the longest MSI layout.
    msi(b, 0x68, PCI_MSI_FLAGS_64BIT | PCI_MSI_FLAGS_MASKBIT);
    pcie(b, 0x78, 2, 0x012c8de1, 0x00703d03, 0x1103);
    msix(b, 0xc8, m);
    aer(b, 0x100);
    b.ext(PCI_EXT_CAP_ID_PWR, 0x128);
    b.ext(PCI_EXT_CAP_ID_LTR, 0x250).set(0x254, 4, 0x10011001, 0xffffffff);
    b.ext(PCI_EXT_CAP_ID_L1SS, 0x258);
  }
  return { model: m, cfg: b.cfg, hwMask: b.hwMask, hostBars };
}
