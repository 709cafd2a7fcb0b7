import type { StrategyDriver } from '../strategy';

/** Baseline: the VM was suspended at the start; copy everything, then the device state, then resume. */
export const stopcopy: StrategyDriver = {
  begin(ops, run) {
    ops.startPass(run, { all: true, stopped: true });
  },
  onPassDrained(ops, run) {
    ops.endPass(run, 0);
    ops.sendDeviceState(run);
  },
};
