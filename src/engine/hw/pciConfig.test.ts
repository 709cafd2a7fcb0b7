import { describe, expect, it } from 'vitest';
import {
  barSizingReadback,
  barSizingReadbackHigh,
  msiCapLength,
  msixTableSize,
  PCI_CAPABILITY_LIST,
  PCI_INTERRUPT_PIN,
  PCI_MSI_FLAGS_64BIT,
  PCI_MSI_FLAGS_MASKBIT,
  PCI_ROM_ADDRESS,
  PCI_STD_HEADER_SIZEOF,
  PCI_SUBSYSTEM_VENDOR_ID,
  readConfig,
  sizeFromReadback,
  writeConfig,
} from './pciConfig';

describe('PCI config space reference facts (linux pci_regs.h)', () => {
  it('header offsets', () => {
    expect(PCI_STD_HEADER_SIZEOF).toBe(64);
    expect(PCI_CAPABILITY_LIST).toBe(0x34);
    expect(PCI_INTERRUPT_PIN).toBe(0x3d);
    expect(PCI_SUBSYSTEM_VENDOR_ID).toBe(0x2c);
    expect(PCI_ROM_ADDRESS).toBe(0x30);
  });

  it('BAR sizing read-backs: ~(size - 1) | flags', () => {
    expect(barSizingReadback(128 * 1024, 0)).toBe(0xfffe0000);
    expect(barSizingReadback(32, 1)).toBe(0xffffffe1);
    expect(barSizingReadback(256 << 20, 0xc)).toBe(0xf000000c);
    expect(barSizingReadbackHigh(256 << 20)).toBe(0xffffffff);
    expect(barSizingReadbackHigh(2 ** 33)).toBe(0xfffffffe);
  });

  it('size from the read-back (clear flags, invert, add one), 64-bit across two dwords', () => {
    expect(sizeFromReadback(0xfffe0000)).toBe(128 * 1024);
    expect(sizeFromReadback(0xffffffe1)).toBe(32);
    expect(sizeFromReadback(0xf000000c, 0xffffffff)).toBe(256 << 20);
    expect(sizeFromReadback(0x0000000c, 0xfffffffe)).toBe(2 ** 33);
  });

  it('MSI capability is 10, 14, 20 or 24 bytes', () => {
    expect(msiCapLength(0)).toBe(10);
    expect(msiCapLength(PCI_MSI_FLAGS_64BIT)).toBe(14);
    expect(msiCapLength(PCI_MSI_FLAGS_MASKBIT)).toBe(20);
    expect(msiCapLength(PCI_MSI_FLAGS_64BIT | PCI_MSI_FLAGS_MASKBIT)).toBe(24);
  });

  it('MSI-X table size is stored as N - 1', () => {
    expect(msixTableSize(4)).toBe(5);
    expect(msixTableSize(0x8000 | 32)).toBe(33);
  });

  it('little-endian access', () => {
    const cfg = new Uint8Array(8);
    writeConfig(cfg, 0, 4, 0x10d38086);
    expect([...cfg.subarray(0, 4)]).toEqual([0x86, 0x80, 0xd3, 0x10]);
    expect(readConfig(cfg, 2, 2)).toBe(0x10d3);
  });
});
