import { PAGE_SIZE } from '../hw/guestMemory';
import { formatBytes, formatCount, formatDuration } from '../kernel/clock';
import type { Simulation } from '../kernel/simulation';
import type { World } from '../world/world';
import type { MigrationRun, Stage } from './model';
import { verifyRun } from './verify';

/** What a migration's ending needs from the mechanism. */
export interface EndingContext {
  readonly sim: Simulation;
  readonly world: World;
  setStage(run: MigrationRun, stage: Stage, phase?: string, down?: boolean): void;
}

/** Completed: verify the destination byte for byte and say so. */
export function completeRun(ctx: EndingContext, run: MigrationRun): void {
  const s = run.s;
  const now = ctx.sim.now;
  if (s.stage === 'push') recordPush(ctx, run);
  s.status = 'completed';
  s.endNs = now;
  // The throttle was the migration's, not the guest's: it runs at full speed on the destination.
  run.vm.throttlePct = 0;
  ctx.setStage(run, 'done');
  run.link.activeFlows--;
  const { verified, mismatchedPages } = verifyRun(run);
  s.verified = verified;
  s.mismatchedPages = mismatchedPages;
  const pagesMoved = run.sendCount.reduce((a, n) => a + (n > 0 ? 1 : 0), 0);
  ctx.sim.narrate(
    'migration.done',
    run.id,
    `Copied ${formatCount(pagesMoved)} pages (${formatBytes(pagesMoved * PAGE_SIZE)}) to ${run.config.to} in ${formatDuration(now - s.startNs)}, ${formatBytes(s.transferredBytes)} on the wire; ${
      verified
        ? 'destination memory verified byte-equal'
        : `${formatCount(mismatchedPages)} pages DIFFER from the source`
    }.`,
    verified ? 'done' : 'warn',
  );
  ctx.world.migrationEnded(run.vm.id, 'completed', run.config.to);
  ctx.world.checkDone();
}

/** Refused when it would start (a mechanism said why): nothing moved, the VM runs on. */
export function refuseRun(ctx: EndingContext, run: MigrationRun, why: string): void {
  const s = run.s;
  s.status = 'refused';
  s.startNs = ctx.sim.now;
  s.endNs = ctx.sim.now;
  s.verified = true;
  s.note = why;
  ctx.setStage(run, 'done');
  ctx.sim.narrate(
    'migration.refused',
    run.id,
    `Migration of ${run.vm.id} refused: ${why}. It stays on ${run.from}.`,
    'warn',
  );
  ctx.world.checkDone();
}

/** Cancelled before it began: nothing moved, nothing to undo. */
export function cancelBeforeStart(ctx: EndingContext, run: MigrationRun): void {
  const s = run.s;
  s.status = 'cancelled';
  s.startNs = ctx.sim.now;
  s.endNs = ctx.sim.now;
  s.verified = true;
  s.note = 'cancelled before it started';
  ctx.setStage(run, 'done');
  ctx.sim.narrate(
    'migration.cancelled',
    run.id,
    `Migration of ${run.vm.id} cancelled before it started; it stays on ${run.from}.`,
    'warn',
  );
  ctx.world.checkDone();
}

/** The push's row in the round table, after the passes made while the VM ran on the source. */
function recordPush(ctx: EndingContext, run: MigrationRun): void {
  const s = run.s;
  const duration = ctx.sim.now - s.roundStartNs;
  s.rounds.push({
    round: s.round + 1,
    startMs: s.roundStartNs / 1e6,
    durationMs: duration / 1e6,
    pagesSent: s.roundPages,
    bytesSent: s.roundBytes,
    pagesDirtied: 0,
    stopped: false,
    push: true,
  });
  ctx.sim.narrate(
    'migration.round',
    run.id,
    `Post-copy push sent ${formatCount(s.roundPages)} pages (${formatBytes(s.roundBytes)}) in ${formatDuration(duration)} while ${run.vm.id} ran on ${run.config.to}; ${formatCount(s.postcopyRequests)} remote faults asked for pages ahead of it.`,
  );
}

/** Cancelled or failed once begun: back to the source if it can, else stranded. */
export function abortRun(ctx: EndingContext, run: MigrationRun, status: 'cancelled' | 'failed', why: string): void {
  const s = run.s;
  const now = ctx.sim.now;
  const vm = run.vm;
  s.chunks = [];
  run.reindexDeferred();
  s.senderBusy = false;
  s.endNs = now;
  s.status = status;
  s.note = why;
  run.link.activeFlows--;
  if (run.resumedRemotely) {
    // Post-copy cannot fall back: the newest state is split between the two hosts, and
    // from now on the VM runs nowhere (downtime counts on, from strandedNs).
    if (s.waitingFault >= 0) s.postcopyStallNs += now - s.faultStartNs;
    if (vm.state === 'running') vm.advance(now);
    s.strandedNs = now;
    vm.state = 'paused';
    s.verified = false;
    s.mismatchedPages = run.pages - run.present.count();
    ctx.setStage(run, 'done');
    // The timeline shows the outage as downtime that never ends.
    ctx.sim.enterPhase(run.id, 'stranded', true);
    ctx.sim.narrate(
      `migration.${status}`,
      run.id,
      `Migration ${status}: ${why} after ${vm.id} resumed on ${run.config.to}. ${formatCount(s.mismatchedPages)} pages are still only on ${run.from}, so the VM can run on neither host (QEMU: postcopy-paused).`,
      'warn',
    );
  } else {
    if (vm.state === 'paused' && run.stopped) s.downtimeNs += now - s.stopNs;
    vm.memory.writeProtect.clearAll();
    // Writes due so far happen at the old throttle; a running guest must not skip them.
    if (vm.state === 'running') vm.advance(now);
    vm.throttlePct = 0;
    if (vm.state !== 'running') vm.resume(now);
    s.verified = vm.host === run.from;
    s.mismatchedPages = 0;
    ctx.setStage(run, 'done');
    ctx.world.startTicking(vm);
    ctx.sim.narrate(
      `migration.${status}`,
      run.id,
      `Migration ${status}: ${why}. ${vm.id} keeps running on ${run.from} with its memory intact; the partial copy on ${run.config.to} is discarded.`,
      'warn',
    );
  }
  ctx.world.migrationEnded(vm.id, status, vm.host);
  ctx.world.checkDone();
}
