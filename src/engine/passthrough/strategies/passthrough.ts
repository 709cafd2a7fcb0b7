import { PCI_MSIX_ENTRY_SIZE, PCI_MSIX_FLAGS, PCI_MSIX_FLAGS_ENABLE, writeConfig } from '../../hw/pciConfig';
import { hardwareWrite, msixCapOffset, msixEnabled, policyRead, policyWrite, programPhysicalVector } from '../access';
import type { DeviceRun } from '../model';
import { type DeviceStrategyImpl, DIRECT_MMIO_NS, transferTime } from './types';

/** The host's interrupt vectors for a device: one block of 64 per host slot (assumption). */
export const hostVectorBase = (run: DeviceRun) => 0x30 + 0x40 * run.slot;

/**
 * The host (VFIO_DEVICE_SET_IRQS) programs every physical MSI-X entry with its own remapped
 * address and vector and enables MSI-X on the hardware: a host write, not the guest's.
 */
export function programHostMsix(run: DeviceRun): void {
  for (let v = 0; v < run.model.msix.vectors; v++) programPhysicalVector(run.ptable, v, hostVectorBase(run));
  const at = msixCapOffset(run.policy);
  if (at) hardwareWrite(run.phys, at + PCI_MSIX_FLAGS, 2, PCI_MSIX_FLAGS_ENABLE, PCI_MSIX_FLAGS_ENABLE);
}

/**
 * The patent's passthrough device, as vfio-pci does it: config accesses trap and go through the
 * copied virtual config space's policy; MMIO goes to the device through the nested page tables
 * (trap: false) or exits so the hypervisor decodes it and swaps the guest-physical address for
 * the machine address (trap: true). The MSI-X table is always trapped (vfio keeps it unmapped).
 */
export const passthrough: DeviceStrategyImpl = {
  label: 'passthrough',
  port: (run: DeviceRun) => {
    const state = { phys: run.phys, vconfig: run.vconfig, policy: run.policy };
    const msixAt = msixCapOffset(run.policy);
    return {
      read: (offset, size) => policyRead(state, offset, size),
      write: (offset, size, value) => {
        const before = msixEnabled(run.vconfig, msixAt);
        const out = policyWrite(state, offset, size, value);
        if (!before && msixEnabled(run.vconfig, msixAt)) programHostMsix(run);
        return out;
      },
      mmioWrite: (bar, offset, value) => {
        const m = run.model.msix;
        if (bar !== m.bar || offset < m.tableOffset || offset >= m.tableOffset + run.vtable.length) return;
        writeConfig(run.vtable, offset - m.tableOffset, 4, value);
        if (msixEnabled(run.vconfig, msixAt)) {
          programPhysicalVector(
            run.ptable,
            Math.floor((offset - m.tableOffset) / PCI_MSIX_ENTRY_SIZE),
            hostVectorBase(run),
          );
        }
      },
    };
  },
  ioCost: (run, bytes) => {
    const mmio = run.model.mmioPerOp;
    const wire = transferTime(bytes, run.model.bytesPerSecond);
    return run.config.trap
      ? { exits: mmio, mmioTrapped: mmio, serviceNs: mmio * run.config.costs.exitNs + wire }
      : { exits: 0, mmioTrapped: 0, serviceNs: mmio * DIRECT_MMIO_NS + wire };
  },
  dmaRoute: (config) => (config.iommu ? 'iommu' : 'raw'),
};
