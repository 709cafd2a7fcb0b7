import { readConfig, writeConfig } from '../../hw/pciConfig';
import { directWrite } from '../access';
import type { DeviceRun } from '../model';
import { type DeviceStrategyImpl, DIRECT_MMIO_NS, transferTime } from './types';

/**
 * For teaching only: the guest gets the physical config space itself. Its BAR programming moves
 * the host's device, its MSI-X values reach the hardware unremapped, and with no IOMMU domain
 * set up for the VM its DMA either is blocked (IOMMU on) or lands at guest-physical addresses
 * taken as host addresses (IOMMU off).
 */
export const directUnsafe: DeviceStrategyImpl = {
  label: 'direct (unsafe)',
  port: (run: DeviceRun) => ({
    read: (offset, size) => readConfig(run.phys.cfg, offset, size),
    write: (offset, size, value) => directWrite(run.phys, offset, size, value),
    mmioWrite: (bar, offset, value) => {
      const m = run.model.msix;
      if (bar === m.bar && offset >= m.tableOffset && offset < m.tableOffset + run.ptable.length)
        writeConfig(run.ptable, offset - m.tableOffset, 4, value);
    },
  }),
  ioCost: (run, bytes) => ({
    exits: 0,
    mmioTrapped: 0,
    serviceNs: run.model.mmioPerOp * DIRECT_MMIO_NS + transferTime(bytes, run.model.bytesPerSecond),
  }),
  dmaRoute: (config) => (config.iommu ? 'blocked' : 'raw'),
};
