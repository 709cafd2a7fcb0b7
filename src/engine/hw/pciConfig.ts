/**
 * PCI configuration space: offsets and bits as linux include/uapi/linux/pci_regs.h names them,
 * little-endian accessors on a Uint8Array, the capability walks and BAR decoding. Shared by
 * every model that holds a config space (physical devices, their virtual copies, emulated ones).
 */

export const PCI_CFG_SPACE_SIZE = 256;
export const PCI_CFG_SPACE_EXP_SIZE = 4096;
export const PCI_STD_HEADER_SIZEOF = 64;

export const PCI_VENDOR_ID = 0x00;
export const PCI_DEVICE_ID = 0x02;
export const PCI_COMMAND = 0x04;
export const PCI_COMMAND_IO = 0x1;
export const PCI_COMMAND_MEMORY = 0x2;
export const PCI_COMMAND_MASTER = 0x4;
export const PCI_COMMAND_PARITY = 0x40;
export const PCI_COMMAND_SERR = 0x100;
export const PCI_COMMAND_INTX_DISABLE = 0x400;
export const PCI_STATUS = 0x06;
export const PCI_STATUS_CAP_LIST = 0x10;
export const PCI_CLASS_REVISION = 0x08;
export const PCI_CLASS_PROG = 0x09;
export const PCI_CLASS_DEVICE = 0x0a;
export const PCI_CACHE_LINE_SIZE = 0x0c;
export const PCI_LATENCY_TIMER = 0x0d;
export const PCI_HEADER_TYPE = 0x0e;
export const PCI_BIST = 0x0f;
export const PCI_BASE_ADDRESS_0 = 0x10;
export const PCI_STD_NUM_BARS = 6;
export const PCI_CARDBUS_CIS = 0x28;
export const PCI_SUBSYSTEM_VENDOR_ID = 0x2c;
export const PCI_SUBSYSTEM_ID = 0x2e;
export const PCI_ROM_ADDRESS = 0x30;
export const PCI_CAPABILITY_LIST = 0x34;
export const PCI_INTERRUPT_LINE = 0x3c;
export const PCI_INTERRUPT_PIN = 0x3d;
export const PCI_MIN_GNT = 0x3e;
export const PCI_MAX_LAT = 0x3f;

export const PCI_BASE_ADDRESS_SPACE_IO = 0x01;
export const PCI_BASE_ADDRESS_MEM_TYPE_64 = 0x04;
export const PCI_BASE_ADDRESS_MEM_PREFETCH = 0x08;

/** Standard capability header: ID, next pointer, then the capability's own flags word. */
export const PCI_CAP_LIST_ID = 0;
export const PCI_CAP_LIST_NEXT = 1;
export const PCI_CAP_FLAGS = 2;
export const PCI_CAP_SIZEOF = 4;

export const PCI_CAP_ID_PM = 0x01;
export const PCI_CAP_ID_MSI = 0x05;
export const PCI_CAP_ID_VNDR = 0x09;
export const PCI_CAP_ID_EXP = 0x10;
export const PCI_CAP_ID_MSIX = 0x11;

export const PCI_PM_PMC = 2;
export const PCI_PM_CTRL = 4;
export const PCI_PM_SIZEOF = 8;
export const PCI_PM_CAP_PME_MASK = 0xf800;
export const PCI_PM_CTRL_STATE_MASK = 0x0003;
export const PCI_PM_CTRL_PME_ENABLE = 0x0100;
export const PCI_PM_CTRL_PME_STATUS = 0x8000;

export const PCI_MSI_FLAGS = 2;
export const PCI_MSI_FLAGS_ENABLE = 0x0001;
export const PCI_MSI_FLAGS_QMASK = 0x000e;
export const PCI_MSI_FLAGS_QSIZE = 0x0070;
export const PCI_MSI_FLAGS_64BIT = 0x0080;
export const PCI_MSI_FLAGS_MASKBIT = 0x0100;
export const PCI_MSI_ADDRESS_LO = 4;
export const PCI_MSI_ADDRESS_HI = 8;
export const PCI_MSI_DATA_32 = 8;
export const PCI_MSI_MASK_32 = 12;
export const PCI_MSI_PENDING_32 = 16;
export const PCI_MSI_DATA_64 = 12;
export const PCI_MSI_MASK_64 = 16;
export const PCI_MSI_PENDING_64 = 20;

export const PCI_MSIX_FLAGS = 2;
export const PCI_MSIX_FLAGS_QSIZE = 0x07ff;
export const PCI_MSIX_FLAGS_MASKALL = 0x4000;
export const PCI_MSIX_FLAGS_ENABLE = 0x8000;
export const PCI_MSIX_TABLE = 4;
export const PCI_MSIX_PBA = 8;
export const PCI_MSIX_FLAGS_BIRMASK = 0x7;
export const PCI_CAP_MSIX_SIZEOF = 12;
export const PCI_MSIX_ENTRY_SIZE = 16;
export const PCI_MSIX_ENTRY_LOWER_ADDR = 0;
export const PCI_MSIX_ENTRY_UPPER_ADDR = 4;
export const PCI_MSIX_ENTRY_DATA = 8;
export const PCI_MSIX_ENTRY_VECTOR_CTRL = 12;
export const PCI_MSIX_ENTRY_CTRL_MASKBIT = 0x1;

export const PCI_EXP_FLAGS = 2;
export const PCI_EXP_DEVCAP = 4;
export const PCI_EXP_DEVCTL = 8;
export const PCI_EXP_DEVCTL_PAYLOAD = 0x00e0;
export const PCI_EXP_DEVCTL_PHANTOM = 0x0200;
export const PCI_EXP_DEVCTL_READRQ = 0x7000;
export const PCI_EXP_DEVCTL_BCR_FLR = 0x8000;
export const PCI_EXP_DEVSTA = 10;
export const PCI_EXP_LNKCAP = 12;
export const PCI_EXP_LNKCTL = 16;
export const PCI_EXP_LNKSTA = 18;
export const PCI_EXP_DEVCTL2 = 0x28;
export const PCI_EXP_DEVCTL2_ARI = 0x0020;
/** Endpoint PCIe capability lengths, version 1 and 2. */
export const PCI_CAP_EXP_ENDPOINT_SIZEOF_V1 = 20;
export const PCI_CAP_EXP_ENDPOINT_SIZEOF_V2 = 0x3c;

export const PCI_EXT_CAP_ID_ERR = 0x01;
export const PCI_EXT_CAP_ID_DSN = 0x03;
export const PCI_EXT_CAP_ID_PWR = 0x04;
export const PCI_EXT_CAP_ID_VNDR = 0x0b;
export const PCI_EXT_CAP_ID_LTR = 0x18;
export const PCI_EXT_CAP_ID_SECPCI = 0x19;
export const PCI_EXT_CAP_ID_L1SS = 0x1e;
export const PCI_ERR_UNCOR_STATUS = 0x04;
export const PCI_ERR_UNCOR_MASK = 0x08;
export const PCI_ERR_UNCOR_SEVER = 0x0c;
export const PCI_ERR_COR_STATUS = 0x10;
export const PCI_ERR_COR_MASK = 0x14;
export const PCI_ERR_CAP = 0x18;
export const PCI_ERR_ROOT_COMMAND = 0x2c;
export const PCI_EXT_CAP_DSN_SIZEOF = 12;
export const PCI_EXT_CAP_PWR_SIZEOF = 16;
export const PCI_EXT_CAP_LTR_SIZEOF = 8;

// ---- little-endian access -----------------------------------------------------------------

export type AccessSize = 1 | 2 | 4;

export function readConfig(cfg: Uint8Array, offset: number, size: AccessSize): number {
  if (size === 1) return cfg[offset];
  if (size === 2) return cfg[offset] | (cfg[offset + 1] << 8);
  return (cfg[offset] | (cfg[offset + 1] << 8) | (cfg[offset + 2] << 16) | (cfg[offset + 3] << 24)) >>> 0;
}

export function writeConfig(cfg: Uint8Array, offset: number, size: AccessSize, value: number): void {
  for (let i = 0; i < size; i++) cfg[offset + i] = (value >>> (8 * i)) & 0xff;
}

/** All ones for an access of `size` bytes. */
export function sizeMask(size: AccessSize): number {
  return size === 4 ? 0xffffffff : (1 << (8 * size)) - 1;
}

// ---- capabilities ---------------------------------------------------------------------------

export interface Capability {
  id: number;
  offset: number;
  next: number;
  /** Where the pointer to this capability sits (0x34 for the first). */
  pointerAt: number;
}

/** Walk the standard capability list as a driver does: status CapList, then 0x34, bounded like vfio. */
export function capabilities(cfg: Uint8Array): Capability[] {
  const out: Capability[] = [];
  if (!(readConfig(cfg, PCI_STATUS, 2) & PCI_STATUS_CAP_LIST)) return out;
  let pointerAt = PCI_CAPABILITY_LIST;
  let pos = cfg[PCI_CAPABILITY_LIST] & 0xfc;
  let loops = (PCI_CFG_SPACE_SIZE - PCI_STD_HEADER_SIZEOF) / PCI_CAP_SIZEOF;
  while (pos >= PCI_STD_HEADER_SIZEOF && loops-- > 0) {
    const next = cfg[pos + PCI_CAP_LIST_NEXT] & 0xfc;
    out.push({ id: cfg[pos], offset: pos, next, pointerAt });
    pointerAt = pos + PCI_CAP_LIST_NEXT;
    pos = next;
  }
  return out;
}

/** Extended capability header: ID in bits 0-15, version 16-19, next offset 20-31. */
export const extCapId = (header: number) => header & 0xffff;
export const extCapVersion = (header: number) => (header >>> 16) & 0xf;
export const extCapNext = (header: number) => (header >>> 20) & 0xffc;
export const extCapHeader = (id: number, version: number, next: number) =>
  ((id & 0xffff) | ((version & 0xf) << 16) | ((next & 0xffc) << 20)) >>> 0;

/** Walk the PCI Express extended capabilities from 0x100 (4 KiB spaces only). */
export function extCapabilities(cfg: Uint8Array): Capability[] {
  const out: Capability[] = [];
  if (cfg.length < PCI_CFG_SPACE_EXP_SIZE) return out;
  let pos = PCI_CFG_SPACE_SIZE;
  let pointerAt = -1;
  let loops = (PCI_CFG_SPACE_EXP_SIZE - PCI_CFG_SPACE_SIZE) / PCI_CAP_SIZEOF;
  while (pos >= PCI_CFG_SPACE_SIZE && loops-- > 0) {
    const header = readConfig(cfg, pos, 4);
    if (header === 0) break;
    out.push({ id: extCapId(header), offset: pos, next: extCapNext(header), pointerAt });
    pointerAt = pos;
    pos = extCapNext(header);
  }
  return out;
}

/** MSI capability length from its flags: 10, 14 (64-bit), 20 (per-vector masking) or 24 (both). */
export function msiCapLength(flags: number): number {
  return 10 + (flags & PCI_MSI_FLAGS_64BIT ? 4 : 0) + (flags & PCI_MSI_FLAGS_MASKBIT ? 10 : 0);
}

/** MSI-X table size: the field holds N - 1. */
export function msixTableSize(flags: number): number {
  return (flags & PCI_MSIX_FLAGS_QSIZE) + 1;
}

// ---- BARs -----------------------------------------------------------------------------------

export type BarKind = 'io' | 'mem32' | 'mem64';

export interface BarDecode {
  index: number;
  kind: BarKind;
  prefetchable: boolean;
  /** The address the BAR holds (both dwords for a 64-bit BAR). */
  address: number;
  /** The low flag bits (I/O: bit 0; memory: bits 0-3). */
  flags: number;
}

export const barOffset = (index: number) => PCI_BASE_ADDRESS_0 + 4 * index;

/** Decode BAR `index` (the lower slot of a 64-bit pair). */
export function decodeBar(cfg: Uint8Array, index: number): BarDecode {
  const lo = readConfig(cfg, barOffset(index), 4);
  if (lo & PCI_BASE_ADDRESS_SPACE_IO) {
    return { index, kind: 'io', prefetchable: false, address: (lo & ~0x3) >>> 0, flags: lo & 0x3 };
  }
  const is64 = (lo & 0x6) === PCI_BASE_ADDRESS_MEM_TYPE_64;
  const hi = is64 && index < 5 ? readConfig(cfg, barOffset(index + 1), 4) : 0;
  return {
    index,
    kind: is64 ? 'mem64' : 'mem32',
    prefetchable: (lo & PCI_BASE_ADDRESS_MEM_PREFETCH) !== 0,
    address: hi * 0x100000000 + ((lo & ~0xf) >>> 0),
    flags: lo & 0xf,
  };
}

/** The flag bits a BAR of this kind carries. */
export function barFlags(kind: BarKind, prefetchable: boolean): number {
  if (kind === 'io') return PCI_BASE_ADDRESS_SPACE_IO;
  return (kind === 'mem64' ? PCI_BASE_ADDRESS_MEM_TYPE_64 : 0) | (prefetchable ? PCI_BASE_ADDRESS_MEM_PREFETCH : 0);
}

/**
 * What the low dword of a BAR reads after the sizing write of all ones: ~(size - 1) | flags
 * (0xFFFE0000 for a 128 KiB memory BAR, 0xFFFFFFE1 for a 32-byte I/O BAR).
 */
export function barSizingReadback(size: number, flags: number): number {
  return ((~(size - 1) >>> 0) | flags) >>> 0;
}

/** The upper dword of a 64-bit BAR after sizing: the high half of ~(size - 1). */
export function barSizingReadbackHigh(size: number): number {
  return (0xffffffff - Math.floor((size - 1) / 0x100000000)) >>> 0;
}

/** Size from the read-back: clear the flag bits, invert, add one (64-bit: both dwords). */
export function sizeFromReadback(lo: number, hi?: number): number {
  const io = (lo & PCI_BASE_ADDRESS_SPACE_IO) !== 0;
  const mask = io ? ~0x3 : ~0xf;
  const low = (lo & mask) >>> 0;
  if (hi === undefined) return (~low >>> 0) + 1;
  // ~(hi:lo) + 1, a dword at a time so no double rounds.
  return (~hi >>> 0) * 0x100000000 + (~low >>> 0) + 1;
}

// ---- names, for decoded dumps --------------------------------------------------------------

export interface RegisterName {
  name: string;
  offset: number;
  size: number;
}

const HEADER_REGISTERS: RegisterName[] = [
  { name: 'vendor ID', offset: 0x00, size: 2 },
  { name: 'device ID', offset: 0x02, size: 2 },
  { name: 'command', offset: 0x04, size: 2 },
  { name: 'status', offset: 0x06, size: 2 },
  { name: 'revision', offset: 0x08, size: 1 },
  { name: 'class code', offset: 0x09, size: 3 },
  { name: 'cache line size', offset: 0x0c, size: 1 },
  { name: 'latency timer', offset: 0x0d, size: 1 },
  { name: 'header type', offset: 0x0e, size: 1 },
  { name: 'BIST', offset: 0x0f, size: 1 },
  ...[0, 1, 2, 3, 4, 5].map((i) => ({ name: `BAR${i}`, offset: barOffset(i), size: 4 })),
  { name: 'CardBus CIS', offset: 0x28, size: 4 },
  { name: 'subsystem vendor ID', offset: 0x2c, size: 2 },
  { name: 'subsystem ID', offset: 0x2e, size: 2 },
  { name: 'expansion ROM', offset: 0x30, size: 4 },
  { name: 'capability pointer', offset: 0x34, size: 1 },
  { name: 'interrupt line', offset: 0x3c, size: 1 },
  { name: 'interrupt pin', offset: 0x3d, size: 1 },
  { name: 'min grant', offset: 0x3e, size: 1 },
  { name: 'max latency', offset: 0x3f, size: 1 },
];

export const CAP_NAMES: Record<number, string> = {
  [PCI_CAP_ID_PM]: 'Power Management',
  [PCI_CAP_ID_MSI]: 'MSI',
  [PCI_CAP_ID_VNDR]: 'Vendor Specific',
  [PCI_CAP_ID_EXP]: 'PCI Express',
  [PCI_CAP_ID_MSIX]: 'MSI-X',
};

export const EXT_CAP_NAMES: Record<number, string> = {
  [PCI_EXT_CAP_ID_ERR]: 'Advanced Error Reporting',
  [PCI_EXT_CAP_ID_DSN]: 'Device Serial Number',
  [PCI_EXT_CAP_ID_PWR]: 'Power Budgeting',
  [PCI_EXT_CAP_ID_VNDR]: 'Vendor Specific',
  [PCI_EXT_CAP_ID_LTR]: 'Latency Tolerance Reporting',
  [PCI_EXT_CAP_ID_SECPCI]: 'Secondary PCI Express',
  [PCI_EXT_CAP_ID_L1SS]: 'L1 PM Substates',
};

function capRegisters(id: number, flags: number): RegisterName[] {
  const regs: RegisterName[] = [
    { name: 'cap ID', offset: 0, size: 1 },
    { name: 'next pointer', offset: 1, size: 1 },
  ];
  if (id === PCI_CAP_ID_PM) regs.push({ name: 'PMC', offset: 2, size: 2 }, { name: 'PMCSR', offset: 4, size: 2 });
  if (id === PCI_CAP_ID_MSI) {
    const is64 = (flags & PCI_MSI_FLAGS_64BIT) !== 0;
    regs.push({ name: 'message control', offset: 2, size: 2 }, { name: 'address', offset: 4, size: 4 });
    if (is64) regs.push({ name: 'address (high)', offset: 8, size: 4 });
    regs.push({ name: 'data', offset: is64 ? 12 : 8, size: 2 });
    if (flags & PCI_MSI_FLAGS_MASKBIT) {
      regs.push(
        { name: 'mask bits', offset: is64 ? 16 : 12, size: 4 },
        { name: 'pending bits', offset: is64 ? 20 : 16, size: 4 },
      );
    }
  }
  if (id === PCI_CAP_ID_MSIX) {
    regs.push(
      { name: 'message control', offset: 2, size: 2 },
      { name: 'table offset / BIR', offset: 4, size: 4 },
      { name: 'PBA offset / BIR', offset: 8, size: 4 },
    );
  }
  if (id === PCI_CAP_ID_EXP) {
    regs.push(
      { name: 'PCIe flags', offset: 2, size: 2 },
      { name: 'device caps', offset: 4, size: 4 },
      { name: 'device control', offset: 8, size: 2 },
      { name: 'device status', offset: 10, size: 2 },
      { name: 'link caps', offset: 12, size: 4 },
      { name: 'link control', offset: 16, size: 2 },
      { name: 'link status', offset: 18, size: 2 },
    );
  }
  return regs;
}

/**
 * The register a byte belongs to, named like lspci -vvv would: header fields, then
 * "MSI-X @a0: message control" inside capabilities.
 */
export function registerAt(cfg: Uint8Array, offset: number): RegisterName & { capability?: string } {
  if (offset < PCI_STD_HEADER_SIZEOF) {
    const r = HEADER_REGISTERS.find((h) => offset >= h.offset && offset < h.offset + h.size);
    return r ?? { name: 'reserved', offset, size: 1 };
  }
  for (const cap of capabilities(cfg)) {
    const len = capLengthGuess(cfg, cap);
    if (offset >= cap.offset && offset < cap.offset + len) {
      const capName = `${CAP_NAMES[cap.id] ?? `cap 0x${hex(cap.id, 2)}`} @${hex(cap.offset, 2)}`;
      const flags = readConfig(cfg, cap.offset + 2, 2);
      const r = capRegisters(cap.id, flags).find(
        (x) => offset - cap.offset >= x.offset && offset - cap.offset < x.offset + x.size,
      );
      return r
        ? { name: `${capName}: ${r.name}`, offset: cap.offset + r.offset, size: r.size, capability: capName }
        : { name: capName, offset: offset & ~3, size: 4, capability: capName };
    }
  }
  for (const cap of extCapabilities(cfg)) {
    const end = cap.next > cap.offset ? cap.next : cap.offset + 0x40;
    if (offset >= cap.offset && offset < end) {
      const capName = `${EXT_CAP_NAMES[cap.id] ?? `ext cap 0x${hex(cap.id, 4)}`} @${hex(cap.offset, 3)}`;
      if (offset < cap.offset + 4)
        return { name: `${capName}: header`, offset: cap.offset, size: 4, capability: capName };
      return { name: capName, offset: offset & ~3, size: 4, capability: capName };
    }
  }
  return { name: 'unassigned', offset, size: 1 };
}

/** The bytes a standard capability spans, for naming (vfio computes its own in the policy). */
export function capLengthGuess(cfg: Uint8Array, cap: Capability): number {
  const flags = readConfig(cfg, cap.offset + 2, 2);
  switch (cap.id) {
    case PCI_CAP_ID_PM:
      return PCI_PM_SIZEOF;
    case PCI_CAP_ID_MSI:
      return msiCapLength(flags);
    case PCI_CAP_ID_MSIX:
      return PCI_CAP_MSIX_SIZEOF;
    case PCI_CAP_ID_EXP:
      return (flags & 0xf) === 1 ? PCI_CAP_EXP_ENDPOINT_SIZEOF_V1 : PCI_CAP_EXP_ENDPOINT_SIZEOF_V2;
    case PCI_CAP_ID_VNDR:
      return cfg[cap.offset + 2];
    default:
      return PCI_CAP_SIZEOF;
  }
}

export function hex(n: number, digits: number): string {
  return (n >>> 0).toString(16).padStart(digits, '0');
}

/** The whole space as a hex string (two digits per byte, no separators). */
export function configHex(cfg: Uint8Array): string {
  let s = '';
  for (let i = 0; i < cfg.length; i++) s += cfg[i] < 16 ? `0${cfg[i].toString(16)}` : cfg[i].toString(16);
  return s;
}
