import {
  type AccessSize,
  barFlags,
  barOffset,
  PCI_COMMAND,
  PCI_COMMAND_IO,
  PCI_COMMAND_MEMORY,
  PCI_MSIX_ENTRY_SIZE,
  PCI_MSIX_FLAGS,
  PCI_MSIX_FLAGS_ENABLE,
  PCI_ROM_ADDRESS,
  readConfig,
  sizeMask,
  writeConfig,
} from '../hw/pciConfig';
import type { PhysicalDevice } from './catalogue';
import type { Policy } from './policy';

/** Where a guest config write went: the virtual copy, the hardware, nowhere, or a software device. */
export type ConfigPath = 'virtual' | 'hardware' | 'dropped' | 'emulated';

export interface WriteOutcome {
  path: ConfigPath;
  /** Bits of the access that landed in the copy, in the hardware, or were dropped. */
  virtualBits: number;
  hardwareBits: number;
  droppedBits: number;
}

/** A write reaches the physical device: only the bits its silicon implements as writable change. */
export function hardwareWrite(
  dev: PhysicalDevice,
  offset: number,
  size: AccessSize,
  bits: number,
  value: number,
): void {
  const hw = readConfig(dev.hwMask, offset, size) & bits;
  if (hw === 0) return;
  const old = readConfig(dev.cfg, offset, size);
  writeConfig(dev.cfg, offset, size, ((old & ~hw) | (value & hw)) >>> 0);
}

/** The guest's view through vfio's policy: the physical device, the copy and the permission bits. */
export interface VfioState {
  phys: PhysicalDevice;
  vconfig: Uint8Array;
  policy: Policy;
}

/** vfio_default_config_read: (phys & ~virt) | (vconfig & virt). */
export function policyRead(s: VfioState, offset: number, size: AccessSize): number {
  const virt = readConfig(s.policy.virt, offset, size);
  const v = readConfig(s.vconfig, offset, size);
  if (virt === sizeMask(size)) return v;
  const p = readConfig(s.phys.cfg, offset, size);
  return ((p & ~virt) | (v & virt)) >>> 0;
}

/** vfio_default_config_write, plus the header's and MSI-X's side effects. */
export function policyWrite(s: VfioState, offset: number, size: AccessSize, value: number): WriteOutcome {
  const write = readConfig(s.policy.write, offset, size);
  const virt = readConfig(s.policy.virt, offset, size);
  const full = sizeMask(size);
  const toVirtual = (write & virt) >>> 0;
  const toHardware = (write & ~virt & full) >>> 0;
  if (toVirtual) {
    const v = readConfig(s.vconfig, offset, size);
    writeConfig(s.vconfig, offset, size, ((v & ~toVirtual) | (value & toVirtual)) >>> 0);
  }
  if (toHardware) hardwareWrite(s.phys, offset, size, toHardware, value);
  if (offset <= PCI_COMMAND && offset + size > PCI_COMMAND) {
    // vfio keeps the guest's memory and I/O enables in the copy too (to notice a backdoor reset).
    const cmd = readConfig(s.vconfig, PCI_COMMAND, 2);
    const written = (value >>> (8 * (PCI_COMMAND - offset))) & 0xffff;
    const mask = PCI_COMMAND_MEMORY | PCI_COMMAND_IO;
    if (write) writeConfig(s.vconfig, PCI_COMMAND, 2, (cmd & ~mask) | (written & mask));
  }
  if (offset < PCI_ROM_ADDRESS + 4 && offset + size > barOffset(0)) barFixup(s);
  const droppedBits = (full & ~write) >>> 0;
  const path: ConfigPath = toHardware ? 'hardware' : toVirtual ? 'virtual' : 'dropped';
  return { path, virtualBits: toVirtual, hardwareBits: toHardware, droppedBits };
}

/**
 * vfio_bar_fixup: the copy's BARs answer like hardware: the address bits under the size read 0
 * and the flag bits are the BAR's own, so the sizing write of all ones reads back ~(size - 1) | flags.
 * BARs the device does not have read 0; no catalogue device has an expansion ROM.
 */
export function barFixup(s: VfioState): void {
  const implemented = new Set<number>();
  for (const bar of s.phys.model.bars) {
    const at = barOffset(bar.index);
    const mask = ~(bar.size - 1) >>> 0;
    writeConfig(s.vconfig, at, 4, ((readConfig(s.vconfig, at, 4) & mask) | barFlags(bar.kind, bar.prefetchable)) >>> 0);
    implemented.add(bar.index);
    if (bar.kind === 'mem64') {
      const hiMask = (0xffffffff - Math.floor((bar.size - 1) / 0x100000000)) >>> 0;
      writeConfig(s.vconfig, at + 4, 4, (readConfig(s.vconfig, at + 4, 4) & hiMask) >>> 0);
      implemented.add(bar.index + 1);
    }
  }
  for (let i = 0; i < 6; i++) if (!implemented.has(i)) writeConfig(s.vconfig, barOffset(i), 4, 0);
  writeConfig(s.vconfig, PCI_ROM_ADDRESS, 4, 0);
}

/** A software device (QEMU's model): its own config space, written through its write mask. */
export function emulatedWrite(
  cfg: Uint8Array,
  wmask: Uint8Array,
  offset: number,
  size: AccessSize,
  value: number,
): WriteOutcome {
  const w = readConfig(wmask, offset, size);
  const old = readConfig(cfg, offset, size);
  writeConfig(cfg, offset, size, ((old & ~w) | (value & w)) >>> 0);
  return { path: 'emulated', virtualBits: w, hardwareBits: 0, droppedBits: (sizeMask(size) & ~w) >>> 0 };
}

/** The guest writes the physical space itself (direct-unsafe): whatever the silicon accepts. */
export function directWrite(dev: PhysicalDevice, offset: number, size: AccessSize, value: number): WriteOutcome {
  hardwareWrite(dev, offset, size, sizeMask(size), value);
  return { path: 'hardware', virtualBits: 0, hardwareBits: sizeMask(size), droppedBits: 0 };
}

// ---- MSI-X --------------------------------------------------------------------------------

/** The MSI-X capability's offset in a space (0 if none). */
export function msixCapOffset(policy: Policy): number {
  return policy.kept.find((c) => !c.extended && c.id === 0x11)?.offset ?? 0;
}

export function msixEnabled(cfg: Uint8Array, capOffset: number): boolean {
  return capOffset > 0 && (readConfig(cfg, capOffset + PCI_MSIX_FLAGS, 2) & PCI_MSIX_FLAGS_ENABLE) !== 0;
}

/**
 * The host programs the physical MSI-X entry for a guest vector: its own interrupt address
 * and vector (remapped), whatever the guest wrote; the guest's values stay in the virtual table.
 */
export function programPhysicalVector(table: Uint8Array, vector: number, hostVectorBase: number): void {
  const at = vector * PCI_MSIX_ENTRY_SIZE;
  writeConfig(table, at, 4, (0xfee00000 | ((vector & 3) << 12)) >>> 0);
  writeConfig(table, at + 4, 4, 0);
  writeConfig(table, at + 8, 4, hostVectorBase + vector);
  writeConfig(table, at + 12, 4, 0);
}
