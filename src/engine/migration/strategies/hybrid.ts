import type { StrategyDriver } from '../strategy';

/**
 * The write-protect variant (US10073713B2): one pre-copy pass with every source page
 * write-protected; a write to a protected page records it as modified (and lifts the
 * protection until the page is sent again). Then stop, send the device state, resume on
 * the destination, and send only the modified pages; a destination touch of one not yet
 * updated faults as in post-copy.
 */
export const hybrid: StrategyDriver = {
  begin(ops, run) {
    run.vm.memory.writeProtect.setAll();
    run.modified.clearAll();
    ops.startPass(run, { all: true, stopped: false });
  },
  onPassDrained(ops, run) {
    if (run.s.stage === 'switchover') {
      ops.sendDeviceState(run);
      return;
    }
    if (run.s.stage === 'push') return;
    ops.endPass(run, run.modified.count());
    run.toSend.copyFrom(run.modified);
    ops.switchover(run, { all: false });
  },
};
