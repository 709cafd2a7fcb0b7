import { type MemoryKeeper, PAGE_SIZE } from '../hw/guestMemory';
import type { Host } from '../hw/host';
import type { Link } from '../hw/link';
import { formatBytes, formatCount, formatDuration, msToNs } from '../kernel/clock';
import type { SimEvent } from '../kernel/eventQueue';
import type { Simulation } from '../kernel/simulation';
import { sectionOf } from '../scenario/fields';
import type { Mechanism, World } from '../world/world';
import { abortRun, cancelBeforeStart, completeRun, type EndingContext, refuseRun } from './endings';
import { routeGuestWrites } from './guestWrites';
import { type Chunk, MigrationRun, type RunSnapshot, type Stage } from './model';
import type { MigrationOps } from './ops';
import type { MigrationConfig } from './schema';
import { STRATEGIES, STRATEGY_LABELS } from './strategies';
import { applyChunk, buildDeviceChunk, buildDiskChunk, buildMemoryChunk, PAGES_PER_CHUNK, takePages } from './transfer';

/** All migrations of a scenario: their events, the shared transfer machinery, the checks. */
export class MigrationMechanism implements Mechanism, MigrationOps, EndingContext {
  readonly name = 'migration';
  readonly runs: MigrationRun[];
  readonly sim: Simulation;

  constructor(readonly world: World) {
    this.sim = world.sim;
    this.runs = sectionOf<MigrationConfig>(world.scenario, 'migrations').map((config, i) => {
      const vm = world.vm(config.vm);
      const run = new MigrationRun(
        i,
        config,
        vm,
        vm.config.host,
        world.linkBetween(vm.config.host, config.to),
        world.scenario.seed,
      );
      run.clock = world.sim;
      return run;
    });
    this.installEvents();
    world.addMechanism(this);
  }

  /** Schedule each migration's start (and cancellation) at the times the scenario gives. */
  start(): void {
    for (const run of this.runs) {
      this.sim.scheduleAt(msToNs(run.config.atMs), { type: 'mig.start', mig: run.index });
      if (run.config.cancelAtMs !== undefined) {
        this.sim.scheduleAt(msToNs(run.config.cancelAtMs), { type: 'mig.cancel', mig: run.index });
      }
    }
  }

  isDone(): boolean {
    return this.runs.every((r) => r.terminal);
  }

  dispose(): void {
    for (const run of this.runs) {
      run.dest.dispose();
      run.destDisk?.dispose();
      run.cache?.memory.dispose();
    }
  }

  snapshot(keeper?: MemoryKeeper): RunSnapshot[] {
    return this.runs.map((r) => r.snapshot(keeper));
  }

  restore(state: unknown, keeper?: MemoryKeeper): void {
    (state as RunSnapshot[]).forEach((snap, i) => {
      this.runs[i].restore(snap, keeper);
      routeGuestWrites(this.runs[i], (p) => this.remoteFault(this.runs[i], p));
    });
  }

  onLinkDown(link: Link): void {
    for (const run of this.runs) {
      if (run.link === link && !run.terminal && run.s.stage !== 'waiting') {
        abortRun(this, run, 'failed', `the link between ${link.a} and ${link.b} went down`);
      }
    }
  }

  onHostFail(host: Host): void {
    for (const run of this.runs) {
      if (!run.terminal && run.s.stage !== 'waiting' && (run.from === host.id || run.config.to === host.id)) {
        abortRun(this, run, 'failed', `host ${host.id} failed`);
      }
    }
  }

  private installEvents(): void {
    const on = (type: string, fn: (run: MigrationRun, e: SimEvent) => void) =>
      this.sim.on(type, (e) => fn(this.runs[e.mig as number], e));
    on('mig.start', (run) => {
      if (!run.terminal) this.begin(run);
    });
    on('mig.setupDone', (run) => this.afterSetup(run));
    on('mig.sent', (run, e) => {
      if (run.terminal || this.deferredTo(run.chunk(e.chunk as number), e, 'sentNs')) return;
      run.s.senderBusy = false;
      this.pump(run);
    });
    on('mig.arrive', (run, e) => {
      const chunk = run.chunk(e.chunk as number);
      if (chunk && !run.terminal && !this.deferredTo(chunk, e, 'arriveNs')) this.arrive(run, chunk);
    });
    on('mig.faultRequest', (run, e) => this.serveFault(run, e.page as number));
    on('mig.cancel', (run) => {
      if (run.terminal) return;
      if (run.resumedRemotely) {
        this.sim.narrate(
          'migration.cancel',
          run.id,
          `Too late to cancel: ${run.vm.id} already runs on ${run.config.to}.`,
          'warn',
        );
      } else if (run.s.stage === 'waiting') cancelBeforeStart(this, run);
      else abortRun(this, run, 'cancelled', 'the operator cancelled it');
    });
  }

  // ---- lifecycle -------------------------------------------------------------------------

  private begin(run: MigrationRun): void {
    const s = run.s;
    const { vm, config } = run;
    s.startNs = this.sim.now;
    if (!run.link.up) {
      s.status = 'failed';
      this.setStage(run, 'done');
      s.endNs = this.sim.now;
      s.verified = true;
      s.note = 'the link was down when the migration was to start';
      this.sim.narrate(
        'migration.failed',
        run.id,
        `Migration of ${vm.id} could not start: the link is down. ${vm.id} stays on ${run.from}.`,
        'warn',
      );
      this.world.checkDone();
      return;
    }
    const refusal = this.world.migrationRefusal(vm.id, config);
    if (refusal) {
      refuseRun(this, run, refusal);
      return;
    }
    s.status = 'setup';
    run.link.activeFlows++;
    this.sim.narrate(
      'migration.start',
      run.id,
      `Migration of ${vm.id} (${formatBytes(run.memoryBytes)}) from ${run.from} to ${config.to} starts: ${STRATEGY_LABELS[run.strategy]}${
        run.strategy === 'precopy' ? `, downtime limit ${config.downtimeLimitMs} ms` : ''
      }, ${config.storage} storage.`,
      'phase',
    );
    if (run.strategy === 'stopcopy') {
      vm.pause(this.sim.now);
      s.stopNs = this.sim.now;
    }
    this.setStage(run, 'setup', 'setup', run.strategy === 'stopcopy');
    this.sim.schedule(2 * run.link.latencyNs, { type: 'mig.setupDone', mig: run.index });
  }

  private afterSetup(run: MigrationRun): void {
    if (run.terminal) return;
    const s = run.s;
    s.setupEndNs = this.sim.now;
    s.status = 'active';
    run.vm.advance(this.sim.now);
    run.vm.memory.dirty.clearAll();
    run.vm.disk?.dirty.clearAll();
    if (run.localStorage && run.strategy !== 'stopcopy') {
      run.toSendDisk.setAll();
      this.setStage(run, 'disk', 'disk copy');
      this.sim.narrate(
        'migration.disk',
        run.id,
        `Local storage: copying the ${formatBytes(run.vm.disk?.byteLength ?? 0)} virtual disk first.`,
      );
      this.pump(run);
      return;
    }
    STRATEGIES[run.strategy].begin(this, run);
  }

  // ---- MigrationOps ----------------------------------------------------------------------

  startPass(
    run: MigrationRun,
    { all, stopped, keepCursor = false }: { all: boolean; stopped: boolean; keepCursor?: boolean },
  ): void {
    const s = run.s;
    if (all) run.toSend.setAll();
    if (all && stopped && run.localStorage) run.toSendDisk.setAll();
    s.round++;
    s.roundStartNs = this.sim.now;
    s.roundPages = 0;
    s.roundBytes = 0;
    if (!keepCursor) s.cursor = 0;
    // A stopped pass is a round too (the round table numbers it): `round 10: stop-and-copy`.
    const phase = `round ${s.round}${stopped ? ': stop-and-copy' : ''}`;
    this.setStage(run, stopped ? 'final' : 'rounds', phase, stopped);
    this.pump(run);
  }

  endPass(run: MigrationRun, pagesDirtied: number): void {
    const s = run.s;
    const duration = this.sim.now - s.roundStartNs;
    const stopped = s.stage === 'final';
    // A pass sent with the cap lifted leaves the live (capped) rate to the downtime estimate, as in QEMU.
    if (!(stopped && run.capLifted)) {
      s.lastBandwidth = duration > 0 ? (s.roundBytes * 1e9) / duration : run.link.shareFor(run.capBytesPerSecond);
    }
    if (!stopped) s.lastDirtyRate = duration > 0 ? (pagesDirtied * 1e9) / duration : 0;
    s.rounds.push({
      round: s.round,
      startMs: s.roundStartNs / 1e6,
      durationMs: duration / 1e6,
      pagesSent: s.roundPages,
      bytesSent: s.roundBytes,
      pagesDirtied,
      stopped,
      push: false,
    });
    if (!stopped) s.liveRounds++;
    this.sim.narrate(
      'migration.round',
      run.id,
      `${stopped ? `Round ${s.round} (final pass, VM stopped)` : `Round ${s.round}`} sent ${formatCount(s.roundPages)} pages (${formatBytes(s.roundBytes)}) in ${formatDuration(duration)}${
        stopped ? '.' : `; ${formatCount(pagesDirtied)} pages were dirtied meanwhile.`
      }`,
    );
  }

  syncDirty(run: MigrationRun): number {
    const vm = run.vm;
    vm.advance(this.sim.now);
    const dirtied = vm.memory.dirty.count();
    run.toSend.or(vm.memory.dirty);
    vm.memory.dirty.clearAll();
    if (run.localStorage && vm.disk) {
      run.toSendDisk.or(vm.disk.dirty);
      vm.disk.dirty.clearAll();
    }
    run.s.dirtySyncCount++;
    return dirtied;
  }

  queuedBytes(run: MigrationRun): number {
    return (run.toSend.count() + run.toSendDisk.count()) * PAGE_SIZE;
  }

  stopSource(run: MigrationRun): void {
    if (run.vm.state === 'paused') return;
    run.vm.pause(this.sim.now);
    run.s.stopNs = this.sim.now;
    this.sim.narrate('migration.stop', run.id, `${run.vm.id} is suspended on ${run.from}: downtime begins.`, 'phase');
  }

  switchover(run: MigrationRun, { all }: { all: boolean }): void {
    this.stopSource(run);
    const s = run.s;
    if (all) run.toSend.setAll();
    // Pages queued now are stale at the destination: a touch must fault, not read old bytes.
    for (let p = run.toSend.nextSetFrom(0); p >= 0; p = run.toSend.scan(p + 1, run.pages)) run.present.clear(p);
    if (run.localStorage && run.vm.disk) {
      run.toSendDisk.or(run.vm.disk.dirty);
      run.vm.disk.dirty.clearAll();
    }
    s.holdMemory = true;
    s.status = 'device';
    this.setStage(run, 'switchover', 'switchover', true);
    this.pump(run);
  }

  sendDeviceState(run: MigrationRun): void {
    if (run.s.deviceSent) return;
    run.s.deviceSent = true;
    run.s.status = 'device';
    this.send(run, buildDeviceChunk(run));
  }

  // ---- the stream --------------------------------------------------------------------------

  /** Keep the sender busy: disk blocks first, then memory pages, else tell the strategy the pass is drained. */
  private pump(run: MigrationRun): void {
    const s = run.s;
    if (s.senderBusy || run.terminal || !run.link.up) return;
    if (s.stage === 'waiting' || s.stage === 'setup' || s.stage === 'done') return;
    if (s.stage === 'rounds' && STRATEGIES[run.strategy].atChunkBoundary?.(this, run)) return;
    run.vm.advance(this.sim.now);
    let chunk: Chunk | undefined;
    const [blocks, diskCursor] = takePages(run.toSendDisk, s.diskCursor, PAGES_PER_CHUNK);
    s.diskCursor = diskCursor;
    if (blocks.length > 0) chunk = buildDiskChunk(run, blocks);
    else if (!s.holdMemory) {
      const [pages, cursor] = takePages(run.toSend, s.cursor, PAGES_PER_CHUNK);
      s.cursor = cursor;
      if (pages.length > 0) {
        if (run.strategy === 'hybrid' && s.stage === 'rounds') this.protectOnSend(run, pages);
        chunk = buildMemoryChunk(run, pages, false);
      }
    }
    if (chunk) {
      this.send(run, chunk);
      return;
    }
    if (s.deviceSent) return;
    if (s.stage === 'disk') this.finishDiskCopy(run);
    else STRATEGIES[run.strategy].onPassDrained(this, run);
  }

  private send(run: MigrationRun, chunk: Chunk): void {
    const s = run.s;
    const now = this.sim.now;
    const duration = run.link.sendTime(chunk.wireBytes, run.capBytesPerSecond);
    if (chunk.fault && s.senderBusy) {
      // The faulting page goes ahead of the chunk being pushed (the newest one not a fault,
      // whose sending may end at this very instant), which so finishes that much later.
      const pushing = s.chunks.findLast((c) => !c.fault);
      if (pushing && pushing.sentNs >= now) {
        pushing.sentNs += duration;
        pushing.arriveNs += duration;
      }
    }
    chunk.sentNs = now + duration;
    chunk.arriveNs = chunk.sentNs + run.link.latencyNs;
    s.chunks.push(chunk);
    run.trackDeferred(chunk);
    s.transferredBytes += chunk.wireBytes;
    s.roundBytes += chunk.wireBytes;
    if (chunk.kind === 'memory') s.roundPages += chunk.pages.length;
    if (!chunk.fault) {
      s.senderBusy = true;
      this.sim.scheduleAt(chunk.sentNs, { type: 'mig.sent', mig: run.index, chunk: chunk.id });
    }
    this.sim.scheduleAt(chunk.arriveNs, { type: 'mig.arrive', mig: run.index, chunk: chunk.id });
  }

  /** A chunk pushed back by a fault page: its event comes again at the chunk's new time. */
  private deferredTo(chunk: Chunk | undefined, e: SimEvent, at: 'sentNs' | 'arriveNs'): boolean {
    if (!chunk || chunk[at] <= this.sim.now) return false;
    this.sim.scheduleAt(chunk[at], { ...e });
    return true;
  }

  private arrive(run: MigrationRun, chunk: Chunk): void {
    const s = run.s;
    s.chunks = s.chunks.filter((c) => c !== chunk);
    applyChunk(run, chunk);
    run.forgetChunk(chunk);
    if (chunk.kind === 'memory') run.giveBackBuffer(chunk.data);
    if (chunk.kind === 'device') {
      this.resumeOnDestination(run);
      return;
    }
    if (s.waitingFault >= 0 && run.present.get(s.waitingFault)) this.faultServed(run);
    if (s.stage === 'push') this.checkPushDone(run);
  }

  private finishDiskCopy(run: MigrationRun): void {
    const s = run.s;
    this.sim.narrate(
      'migration.disk',
      run.id,
      `Virtual disk copied (${formatCount(s.diskBlocksSent)} blocks); blocks written meanwhile follow with the memory.`,
    );
    if (run.vm.disk) {
      run.toSendDisk.or(run.vm.disk.dirty);
      run.vm.disk.dirty.clearAll();
    }
    STRATEGIES[run.strategy].begin(this, run);
  }

  private protectOnSend(run: MigrationRun, pages: number[]): void {
    const wp = run.vm.memory.writeProtect;
    for (const p of pages) {
      wp.set(p);
      run.modified.clear(p);
    }
  }

  // ---- switching hosts ---------------------------------------------------------------------

  private resumeOnDestination(run: MigrationRun): void {
    const s = run.s;
    const now = this.sim.now;
    const vm = run.vm;
    s.resumeNs = now;
    s.downtimeNs += now - s.stopNs;
    vm.host = run.config.to;
    vm.memory.writeProtect.clearAll();
    vm.resume(now);
    const toPush = run.toSend.count();
    this.sim.narrate(
      'migration.resume',
      run.id,
      `${vm.id} resumes on ${run.config.to} after ${formatDuration(now - s.stopNs)} of downtime${
        toPush > 0 ? `; ${formatCount(toPush)} pages are still on ${run.from}` : ''
      }.`,
      'phase',
    );
    if (s.stage === 'final') {
      this.world.startTicking(vm);
      completeRun(this, run);
      return;
    }
    s.status = 'postcopy-active';
    s.holdMemory = false;
    s.roundStartNs = now;
    s.roundPages = 0;
    s.roundBytes = 0;
    this.setStage(run, 'push', 'post-copy');
    this.world.startTicking(vm);
    this.pump(run);
    this.checkPushDone(run);
  }

  private checkPushDone(run: MigrationRun): void {
    const s = run.s;
    if (s.chunks.length > 0 || s.waitingFault >= 0 || s.senderBusy) return;
    if (run.toSend.nextSetFrom(0) >= 0 || run.toSendDisk.nextSetFrom(0) >= 0) return;
    completeRun(this, run);
  }

  /** The destination touched a page that is not there: the vCPU stalls and asks the source. */
  private remoteFault(run: MigrationRun, page: number): void {
    const s = run.s;
    if (s.waitingFault >= 0) return;
    s.waitingFault = page;
    s.faultStartNs = this.sim.now;
    s.postcopyRequests++;
    run.vm.state = 'stalled';
    this.sim.narrate(
      'migration.fault',
      run.id,
      `Remote fault: ${run.vm.id} touched page ${formatPage(page)}, ${
        run.sendCount[page] > 0 ? `whose copy on ${run.config.to} is out of date` : `not yet on ${run.config.to}`
      }; its vCPU stalls while the page is requested.`,
    );
    this.sim.schedule(run.link.latencyNs, { type: 'mig.faultRequest', mig: run.index, page });
  }

  /** The request reached the source: send the page now, ahead of the background push, which jumps there. */
  private serveFault(run: MigrationRun, page: number): void {
    if (run.terminal || !run.link.up) return;
    const s = run.s;
    s.cursor = (page + 1) % run.pages;
    if (!run.toSend.get(page)) return; // already on its way in a pushed chunk
    run.toSend.clear(page);
    this.send(run, buildMemoryChunk(run, [page], true));
  }

  private faultServed(run: MigrationRun): void {
    const s = run.s;
    const now = this.sim.now;
    s.postcopyStallNs += now - s.faultStartNs;
    s.waitingFault = -1;
    run.vm.resume(now);
    this.world.startTicking(run.vm);
  }

  // ---- bookkeeping -------------------------------------------------------------------------

  /** Enter a stage (and its phase on the timeline); the guest's writes are routed for it. */
  setStage(run: MigrationRun, stage: Stage, phase?: string, down = false): void {
    run.s.stage = stage;
    if (stage === 'done') this.sim.closePhase(run.id);
    else if (phase) this.sim.enterPhase(run.id, phase, down);
    routeGuestWrites(run, (p) => this.remoteFault(run, p));
  }
}

export function formatPage(page: number): string {
  return `#${page} (gpa 0x${(page * PAGE_SIZE).toString(16)})`;
}
