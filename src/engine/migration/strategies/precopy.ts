import { PAGE_SIZE } from '../../hw/guestMemory';
import { formatBytes, formatDuration } from '../../kernel/clock';
import type { MigrationRun } from '../model';
import type { MigrationOps } from '../ops';
import type { StrategyDriver } from '../strategy';
import { beginQemuLoop, qemuIteration } from './qemuSync';

/**
 * Iterative pre-copy (QEMU's default): round 0 sends every page, each later round what the
 * previous one left dirty, until the rest fits in the downtime limit at the measured
 * bandwidth or the round cap is hit; then stop, send the rest and the device state.
 * That is `syncPolicy: 'rounds'`; `'qemu'` syncs and stops as QEMU 7.2 does (qemuSync.ts).
 */
export const precopy: StrategyDriver = {
  begin(ops, run) {
    if (run.config.syncPolicy === 'qemu') beginQemuLoop(ops, run);
    ops.startPass(run, { all: true, stopped: false });
  },
  atChunkBoundary(ops, run) {
    return run.config.syncPolicy === 'qemu' && qemuLoop(ops, run, false);
  },
  onPassDrained(ops, run) {
    if (run.s.stage === 'final') {
      ops.endPass(run, 0);
      ops.sendDeviceState(run);
      return;
    }
    if (run.config.syncPolicy === 'qemu') {
      qemuLoop(ops, run, true);
      return;
    }
    const dirtied = ops.syncDirty(run);
    ops.endPass(run, dirtied);
    // XBZRLE starts after the first full pass: only then has the destination a copy to diff against.
    if (run.cache) run.s.xbzrleStarted = true;
    if (run.config.autoConverge) autoConverge(ops, run);
    const remaining = ops.queuedBytes(run);
    const threshold = run.s.lastBandwidth * (run.config.downtimeLimitMs / 1000);
    const roundCap = run.s.liveRounds >= run.config.maxRounds;
    if (remaining <= threshold || roundCap) {
      const sim = ops.sim;
      if (remaining <= threshold) {
        sim.narrate(
          'migration.converged',
          run.id,
          `${formatBytes(remaining)} left fits in the ${run.config.downtimeLimitMs} ms downtime limit (${formatBytes(threshold)} at the measured ${formatBytes(run.s.lastBandwidth)}/s): stopping ${run.vm.id} for the last pass.`,
          'phase',
        );
      } else {
        run.s.note = `did not converge: ${run.config.maxRounds} rounds and still ${formatBytes(remaining)} dirty`;
        sim.narrate(
          'migration.roundCap',
          run.id,
          `Pre-copy did not converge: after ${run.s.liveRounds} rounds ${formatBytes(remaining)} is still dirty (limit ${formatBytes(threshold)}); stopping ${run.vm.id} anyway, expect ${formatDuration(Math.round((remaining / Math.max(1, run.s.lastBandwidth)) * 1e9))} of downtime.`,
          'warn',
        );
      }
      ops.stopSource(run);
      ops.startPass(run, { all: false, stopped: true });
      return;
    }
    ops.startPass(run, { all: false, stopped: false });
  },
};

/** syncPolicy qemu: QEMU 7.2's loop (qemuSync.ts), with auto-converge checked at each of its syncs. */
function qemuLoop(ops: MigrationOps, run: MigrationRun, drained: boolean): boolean {
  const syncs = run.s.liveRounds;
  const moved = qemuIteration(ops, run, drained, run.config.maxRounds);
  if (run.config.autoConverge && run.s.liveRounds > syncs && run.s.stage === 'rounds') autoConverge(ops, run);
  return moved;
}

/**
 * QEMU's auto-converge: when the guest dirtied more than half as many bytes as were sent in
 * a period, twice in a row, throttle the vCPUs: 20% first, then 10% more each time, up to 99%.
 */
function autoConverge(ops: MigrationOps, run: MigrationRun): void {
  const s = run.s;
  const last = s.rounds[s.rounds.length - 1];
  if (!last || last.round === 0) return;
  const dirtiedBytes = last.pagesDirtied * PAGE_SIZE;
  if (dirtiedBytes > 0.5 * last.bytesSent) s.dirtyRateHighCount++;
  else s.dirtyRateHighCount = 0;
  if (s.dirtyRateHighCount < 2) return;
  s.dirtyRateHighCount = 0;
  const next = s.throttlePct === 0 ? 20 : Math.min(99, s.throttlePct + 10);
  if (next === s.throttlePct) return;
  s.throttlePct = next;
  run.vm.throttlePct = next;
  ops.sim.narrate(
    'migration.throttle',
    run.id,
    `Auto-converge: the guest dirtied ${formatBytes(dirtiedBytes)} while ${formatBytes(last.bytesSent)} was sent (${(dirtiedBytes / Math.max(1, last.bytesSent)).toFixed(2)}x); vCPUs throttled to ${next}%.`,
    'warn',
  );
}
