import type { StrategyDriver } from '../strategy';

/**
 * Post-copy: after `precopyPasses` pre-copy passes (default none) stop the VM, send the
 * device state and resume on the destination at once; pages still missing are pushed in
 * the background, and a touch of one of them is a remote fault served ahead of the push.
 */
export const postcopy: StrategyDriver = {
  begin(ops, run) {
    if (run.config.precopyPasses > 0) ops.startPass(run, { all: true, stopped: false });
    else ops.switchover(run, { all: true });
  },
  onPassDrained(ops, run) {
    if (run.s.stage === 'switchover') {
      ops.sendDeviceState(run);
      return;
    }
    if (run.s.stage === 'push') return;
    const dirtied = ops.syncDirty(run);
    ops.endPass(run, dirtied);
    if (run.s.liveRounds < run.config.precopyPasses) ops.startPass(run, { all: false, stopped: false });
    else ops.switchover(run, { all: false });
  },
};
