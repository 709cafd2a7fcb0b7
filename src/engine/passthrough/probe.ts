import {
  type AccessSize,
  barOffset,
  extCapNext,
  msixTableSize,
  PCI_CAP_ID_MSIX,
  PCI_CAPABILITY_LIST,
  PCI_CFG_SPACE_SIZE,
  PCI_CLASS_REVISION,
  PCI_COMMAND,
  PCI_COMMAND_IO,
  PCI_COMMAND_MASTER,
  PCI_COMMAND_MEMORY,
  PCI_HEADER_TYPE,
  PCI_INTERRUPT_LINE,
  PCI_MSIX_ENTRY_SIZE,
  PCI_MSIX_FLAGS,
  PCI_MSIX_FLAGS_ENABLE,
  PCI_MSIX_FLAGS_MASKALL,
  PCI_MSIX_PBA,
  PCI_MSIX_TABLE,
  PCI_STATUS,
  PCI_STATUS_CAP_LIST,
  PCI_SUBSYSTEM_VENDOR_ID,
  PCI_VENDOR_ID,
  sizeFromReadback,
} from '../hw/pciConfig';
import type { WriteOutcome } from './access';

/** What the guest driver does to a device: config reads and writes, and MMIO writes to the MSI-X table. */
export interface ConfigPort {
  read(offset: number, size: AccessSize): number;
  write(offset: number, size: AccessSize, value: number): WriteOutcome;
  /** An MMIO write into a BAR (the MSI-X table). */
  mmioWrite(bar: number, offset: number, value: number): void;
}

export type ProbeStage = 'identify' | 'size BARs' | 'capabilities' | 'enable' | 'MSI-X';

export interface ProbeStep {
  kind: 'read' | 'write' | 'mmio';
  offset: number;
  size: AccessSize;
  /** Read: the value the guest saw; write: the value it wrote. */
  value: number;
  /** Config writes: where the write went. */
  path: WriteOutcome['path'] | '';
  bar: number;
  stage: ProbeStage;
  note: string;
}

/** What the probe learnt: each BAR's size and the guest-physical address it programmed. */
export interface ProbeResult {
  steps: ProbeStep[];
  bars: { index: number; size: number; io: boolean; is64: boolean; guestAddress: number }[];
  capabilities: { id: number; offset: number; extended: boolean }[];
  msixVectors: number;
}

/** Guest-physical windows the guest's firmware allocates BARs from (assumption: typical QEMU q35 layout). */
const GUEST_MEM32 = 0xfe000000;
const GUEST_MEM64 = 0x8_0000_0000;
const GUEST_IO = 0xc000;
/** The guest's MSI address (its local APIC) and first vector. */
export const GUEST_MSI_ADDRESS = 0xfee00000;
export const GUEST_MSI_VECTOR_BASE = 0x41;

/**
 * A Linux-style driver probe against whatever config space the guest is given: identify,
 * size and program every BAR (decoding off while sizing, as pci_read_bases does), walk the
 * capability lists, enable memory space and bus mastering, then set up MSI-X.
 */
export function runProbe(port: ConfigPort): ProbeResult {
  const steps: ProbeStep[] = [];
  let stage: ProbeStage = 'identify';
  const read = (offset: number, size: AccessSize, note: string) => {
    const value = port.read(offset, size);
    steps.push({ kind: 'read', offset, size, value, path: '', bar: -1, stage, note });
    return value;
  };
  const write = (offset: number, size: AccessSize, value: number, note: string) => {
    const path = port.write(offset, size, value >>> 0).path;
    steps.push({ kind: 'write', offset, size, value: value >>> 0, path, bar: -1, stage, note });
  };
  const mmio = (bar: number, offset: number, value: number, note: string) => {
    port.mmioWrite(bar, offset, value >>> 0);
    steps.push({ kind: 'mmio', offset, size: 4, value: value >>> 0, path: '', bar, stage, note });
  };
  const hex = (v: number) => `0x${(v >>> 0).toString(16)}`;

  const ids = read(PCI_VENDOR_ID, 4, 'vendor and device ID');
  read(PCI_CLASS_REVISION, 4, 'class code and revision');
  read(PCI_HEADER_TYPE, 1, 'header type (0: endpoint)');
  read(PCI_SUBSYSTEM_VENDOR_ID, 4, 'subsystem vendor and ID');
  void ids;

  stage = 'size BARs';
  const cmd = read(PCI_COMMAND, 2, 'command');
  write(PCI_COMMAND, 2, cmd & ~(PCI_COMMAND_MEMORY | PCI_COMMAND_IO), 'decoding off while sizing');
  const bars: ProbeResult['bars'] = [];
  let mem32 = GUEST_MEM32;
  let mem64 = GUEST_MEM64;
  let io = GUEST_IO;
  for (let i = 0; i < 6; i++) {
    const at = barOffset(i);
    const orig = read(at, 4, `BAR${i}`);
    write(at, 4, 0xffffffff, `BAR${i} sizing: all ones`);
    const lo = read(at, 4, `BAR${i} read-back`);
    if (lo === 0) {
      write(at, 4, orig, `BAR${i} not implemented: restore`);
      continue;
    }
    const isIo = (lo & 1) === 1;
    const is64 = !isIo && (lo & 0x6) === 0x4;
    let hi: number | undefined;
    if (is64) {
      read(at + 4, 4, `BAR${i + 1} (upper half of BAR${i})`);
      write(at + 4, 4, 0xffffffff, `BAR${i + 1} sizing: all ones`);
      hi = read(at + 4, 4, `BAR${i + 1} read-back`);
    }
    const size = sizeFromReadback(lo, hi);
    const align = (a: number) => Math.ceil(a / size) * size;
    let addr: number;
    if (isIo) {
      addr = align(io);
      io = addr + size;
    } else if (is64) {
      addr = align(mem64);
      mem64 = addr + size;
    } else {
      addr = align(mem32);
      mem32 = addr + size;
    }
    const flags = lo & (isIo ? 0x3 : 0xf);
    write(at, 4, ((addr % 0x100000000) | flags) >>> 0, `BAR${i} := ${hex(addr)} (size ${size})`);
    if (is64) write(at + 4, 4, Math.floor(addr / 0x100000000), `BAR${i + 1} := upper half`);
    bars.push({ index: i, size, io: isIo, is64, guestAddress: addr });
    if (is64) i++;
  }
  write(PCI_COMMAND, 2, cmd, 'decoding back as it was');

  stage = 'capabilities';
  const caps: ProbeResult['capabilities'] = [];
  let msixAt = 0;
  const status = read(PCI_STATUS, 2, 'status (capability list?)');
  if (status & PCI_STATUS_CAP_LIST) {
    let pos = read(PCI_CAPABILITY_LIST, 1, 'capability pointer') & 0xfc;
    for (let loops = 48; pos >= 0x40 && loops > 0; loops--) {
      const header = read(pos, 2, `capability @${hex(pos)}: ID and next`);
      const id = header & 0xff;
      caps.push({ id, offset: pos, extended: false });
      if (id === PCI_CAP_ID_MSIX) msixAt = pos;
      pos = (header >>> 8) & 0xfc;
    }
  }
  let epos = PCI_CFG_SPACE_SIZE;
  for (let loops = 960; epos >= PCI_CFG_SPACE_SIZE && loops > 0; loops--) {
    const header = read(epos, 4, `extended capability @${hex(epos)}`);
    if (header === 0 || header === 0xffffffff) break;
    if ((header & 0xffff) !== 0) caps.push({ id: header & 0xffff, offset: epos, extended: true });
    epos = extCapNext(header);
  }

  stage = 'enable';
  const c = read(PCI_COMMAND, 2, 'command');
  const ioBar = bars.some((b) => b.io) ? PCI_COMMAND_IO : 0;
  write(PCI_COMMAND, 2, c | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER | ioBar, 'enable memory space and bus mastering');
  write(PCI_INTERRUPT_LINE, 1, 11, 'interrupt line (INTx routing, unused with MSI-X)');

  stage = 'MSI-X';
  let vectors = 0;
  if (msixAt) {
    const flags = read(msixAt + PCI_MSIX_FLAGS, 2, 'MSI-X message control');
    vectors = msixTableSize(flags);
    const table = read(msixAt + PCI_MSIX_TABLE, 4, 'MSI-X table offset / BIR');
    read(msixAt + PCI_MSIX_PBA, 4, 'MSI-X PBA offset / BIR');
    write(msixAt + PCI_MSIX_FLAGS, 2, flags | PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL, 'MSI-X on, all masked');
    const bir = table & 0x7;
    const base = table & ~0x7;
    for (let v = 0; v < vectors; v++) {
      const at = base + v * PCI_MSIX_ENTRY_SIZE;
      mmio(bir, at, GUEST_MSI_ADDRESS | ((v & 1) << 12), `vector ${v}: address`);
      mmio(bir, at + 4, 0, `vector ${v}: address (high)`);
      mmio(bir, at + 8, GUEST_MSI_VECTOR_BASE + v, `vector ${v}: data`);
      mmio(bir, at + 12, 0, `vector ${v}: unmask`);
    }
    write(msixAt + PCI_MSIX_FLAGS, 2, (flags | PCI_MSIX_FLAGS_ENABLE) & ~PCI_MSIX_FLAGS_MASKALL, 'MSI-X on, unmasked');
  }
  return { steps, bars, capabilities: caps, msixVectors: vectors };
}
