import { readConfig, writeConfig } from '../../hw/pciConfig';
import { emulatedWrite } from '../access';
import type { DeviceRun } from '../model';
import { COPY_BYTES_PER_SECOND, type DeviceStrategyImpl, transferTime } from './types';

/**
 * The baseline: a software device in the VMM. Every config, MMIO and port access exits to the
 * device model; each operation also costs an interrupt-injection exit.
 */
export const emulated: DeviceStrategyImpl = {
  label: 'emulated device',
  port: (run: DeviceRun) => ({
    read: (offset, size) => readConfig(run.vconfig, offset, size),
    write: (offset, size, value) => emulatedWrite(run.vconfig, run.phys.hwMask, offset, size, value),
    mmioWrite: (bar, offset, value) => {
      const m = run.model.msix;
      if (bar === m.bar && offset >= m.tableOffset && offset < m.tableOffset + run.vtable.length)
        writeConfig(run.vtable, offset - m.tableOffset, 4, value);
    },
  }),
  // Assumption: the measured 7 µs per packet (emulatedIoNs) already includes the model's exits;
  // the VMM copies the bytes at memory-copy speed, and they still cross the real device behind it.
  ioCost: (run, bytes) => ({
    exits: run.model.mmioPerOp + 1,
    mmioTrapped: run.model.mmioPerOp,
    serviceNs:
      run.config.costs.emulatedIoNs +
      transferTime(bytes, COPY_BYTES_PER_SECOND) +
      transferTime(bytes, run.model.bytesPerSecond),
  }),
  dmaRoute: () => 'copy',
};
