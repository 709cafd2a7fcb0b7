import { PAGE_SIZE } from '../../hw/guestMemory';
import { formatBytes, formatCount, msToNs } from '../../kernel/clock';
import type { MigrationRun } from '../model';
import type { MigrationOps } from '../ops';

/**
 * Pre-copy's `syncPolicy: 'qemu'`: the loop of QEMU 7.2's migration thread.
 *
 * migration_iteration_run() (migration.c) asks ram_save_pending() (ram.c) for the bytes still
 * dirty; when they are below threshold_size it syncs the dirty log there and then
 * (migration_bitmap_sync_precopy), and the migration completes only if what is dirty after that
 * sync is still below the threshold (or nothing at all). There is no sync at the end of a pass:
 * the page search wraps around and goes on. threshold_size is the bandwidth measured by
 * migration_update_counters() over the last BUFFER_DELAY window times downtime-limit.
 * dirty-sync-count counts every migration_bitmap_sync: the first in ram_init_bitmaps() at setup,
 * one per pending sync, and the last in ram_save_complete() with the VM stopped.
 * Here a row of the round table is the stretch between two syncs.
 */

/** migration.c BUFFER_DELAY: the window over which bandwidth (hence the threshold) is measured. */
const BUFFER_DELAY_NS = msToNs(100);
/** ram.c MAX_WAIT: ram_save_iterate() returns after at most 50 ms, so the loop checks at least that often. */
const MAX_WAIT_NS = msToNs(50);

/** ram_init_bitmaps() -> migration_bitmap_sync_precopy(): the setup sync (every page starts dirty). */
export function beginQemuLoop(ops: MigrationOps, run: MigrationRun): void {
  const s = run.s;
  s.dirtySyncCount++;
  s.iterationStartNs = ops.sim.now;
  s.windowStartNs = ops.sim.now;
  s.windowStartBytes = s.transferredBytes;
  s.thresholdBytes = 0;
}

/**
 * One turn of the loop, at a chunk boundary of a live pass or when the pass has nothing left
 * to send (`drained`). Returns true when it moved the run on (a sync started a new row, or the
 * VM was stopped); false to let the pass send its next chunk.
 */
export function qemuIteration(ops: MigrationOps, run: MigrationRun, drained: boolean, maxSyncs: number): boolean {
  const s = run.s;
  const now = ops.sim.now;
  updateCounters(run, now);
  // With the cap binding, an iteration spends its window's budget and waits out the window
  // (migration_rate_limit); otherwise ram_save_iterate() gives up after MAX_WAIT.
  if (!drained && now - s.iterationStartNs < (capBinds(run) ? BUFFER_DELAY_NS : MAX_WAIT_NS)) return false;
  s.iterationStartNs = now;
  let pending = ops.queuedBytes(run);
  // ram_save_pending(): sync only when the remainder is below the threshold.
  if (pending < s.thresholdBytes) {
    const dirtied = ops.syncDirty(run);
    ops.endPass(run, dirtied);
    s.lastBandwidth = s.thresholdBytes / (run.config.downtimeLimitMs / 1000);
    pending = ops.queuedBytes(run);
    const row = s.rounds[s.rounds.length - 1];
    row.pagesQueued = pending / PAGE_SIZE;
    row.thresholdBytes = s.thresholdBytes;
    // XBZRLE has something to diff against once the destination holds pages.
    if (run.cache) s.xbzrleStarted = true;
    if (pending > 0 && pending >= s.thresholdBytes) {
      if (s.liveRounds >= maxSyncs) {
        s.note = `did not converge: ${maxSyncs} syncs and still ${formatBytes(pending)} dirty`;
        complete(ops, run, pending, 'migration.roundCap');
        return true;
      }
      ops.startPass(run, { all: false, stopped: false, keepCursor: true });
      return true;
    }
  }
  // migration_iteration_run(): complete when nothing is pending or the rest is below the threshold.
  if (pending === 0 || pending < s.thresholdBytes) {
    complete(ops, run, pending, 'migration.converged');
    return true;
  }
  return false;
}

/** migration_update_counters(): every BUFFER_DELAY, bandwidth = bytes sent in the window / its length. */
function updateCounters(run: MigrationRun, now: number): void {
  const s = run.s;
  const spent = now - s.windowStartNs;
  if (spent < BUFFER_DELAY_NS) return;
  const bandwidth = ((s.transferredBytes - s.windowStartBytes) * 1e9) / spent;
  s.thresholdBytes = bandwidth * (run.config.downtimeLimitMs / 1000);
  s.windowStartNs = now;
  s.windowStartBytes = s.transferredBytes;
}

function capBinds(run: MigrationRun): boolean {
  const cap = run.capBytesPerSecond;
  return cap !== undefined && cap < run.link.shareFor();
}

/**
 * migration_completion(): stop the VM, lift the rate limit (unless capSwitchover), and
 * ram_save_complete() syncs once more and sends every dirty page.
 */
function complete(ops: MigrationOps, run: MigrationRun, pending: number, kind: string): void {
  const s = run.s;
  const threshold = formatBytes(s.thresholdBytes);
  const lifts = run.config.bandwidthLimitMiBps !== undefined && !run.config.capSwitchover;
  ops.sim.narrate(
    kind,
    run.id,
    kind === 'migration.converged'
      ? `${formatBytes(pending)} dirty after sync ${s.dirtySyncCount} is under the ${threshold} threshold (the last 100 ms window's bandwidth times ${run.config.downtimeLimitMs} ms): stopping ${run.vm.id}${lifts ? ', bandwidth limit lifted' : ''}.`
      : `Pre-copy did not converge: after ${formatCount(s.dirtySyncCount)} syncs ${formatBytes(pending)} is still dirty (threshold ${threshold}); stopping ${run.vm.id} anyway.`,
    kind === 'migration.converged' ? 'phase' : 'warn',
  );
  ops.stopSource(run);
  ops.syncDirty(run);
  ops.startPass(run, { all: false, stopped: true, keepCursor: true });
}
