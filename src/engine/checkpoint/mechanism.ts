import type { MemoryKeeper } from '../hw/guestMemory';
import { PAGE_SIZE } from '../hw/guestMemory';
import type { Host } from '../hw/host';
import type { Link } from '../hw/link';
import { formatBytes, formatCount, formatDuration, msToNs, type Nanos } from '../kernel/clock';
import type { SimEvent } from '../kernel/eventQueue';
import type { Simulation } from '../kernel/simulation';
import { sectionOf } from '../scenario/fields';
import type { Mechanism, World } from '../world/world';
import { applyBatch } from './apply';
import { newBatch, setPages } from './capture';
import { type Batch, type Checkpoint, CheckpointRun, type CheckpointRunSnapshot, type EpochStat } from './model';
import { backupSeq, produceResponses, recordDeviceState, releaseEpoch, sealEpoch } from './output';
import type { CheckpointConfig } from './schema';
import { STRATEGIES, STRATEGY_LABELS } from './strategies';

/** Early sends (feedback with history) happen at these fractions of an epoch (assumption: the patent gives no schedule). */
const EARLY_PASSES = 3;

/** Every protected VM of a scenario: initial copy, epochs, the stream, output commit, failover. */
export class CheckpointMechanism implements Mechanism {
  readonly name = 'checkpoint';
  readonly runs: CheckpointRun[];
  readonly sim: Simulation;

  constructor(readonly world: World) {
    this.sim = world.sim;
    this.runs = sectionOf<CheckpointConfig>(world.scenario, 'checkpoints').map((config, i) => {
      const vm = world.vm(config.vm);
      const run = new CheckpointRun(i, config, vm, vm.config.host, world.linkBetween(vm.config.host, config.backup));
      run.clock = world.sim;
      return run;
    });
    this.installEvents();
    world.addMechanism(this);
  }

  start(): void {
    for (const run of this.runs)
      this.sim.scheduleAt(msToNs(run.config.atMs), { type: 'checkpoint.start', ck: run.index });
  }

  isDone(): boolean {
    return this.runs.every((r) => r.over);
  }

  dispose(): void {
    for (const run of this.runs) run.dispose();
  }

  snapshot(keeper?: MemoryKeeper): CheckpointRunSnapshot[] {
    return this.runs.map((r) => r.snapshot(keeper));
  }

  restore(state: unknown, keeper?: MemoryKeeper): void {
    (state as CheckpointRunSnapshot[]).forEach((snap, i) => {
      this.runs[i].restore(snap, keeper);
    });
  }

  onLinkDown(link: Link): void {
    for (const run of this.runs) {
      if (run.link !== link || run.over || run.s.status === 'pending') continue;
      this.stopProtection(run, `the link between ${link.a} and ${link.b} went down`);
    }
  }

  onHostFail(host: Host): void {
    for (const run of this.runs) {
      if (run.over || run.s.status === 'pending') continue;
      if (host.id === run.config.backup) this.stopProtection(run, `the backup host ${host.id} failed`);
      else if (host.id === run.primary) this.primaryFailed(run);
    }
  }

  private primaryDown(run: CheckpointRun): boolean {
    return this.world.hostsDown.has(run.primary);
  }

  private installEvents(): void {
    const on = (type: string, fn: (run: CheckpointRun, e: SimEvent) => void) =>
      this.sim.on(type, (e) => fn(this.runs[e.ck as number], e));
    on('checkpoint.start', (run) => this.begin(run));
    on('checkpoint.synced', (run) => this.synced(run));
    on('checkpoint.early', (run, e) => this.sendEarly(run, e.epoch as number));
    on('checkpoint.stun', (run, e) => this.stun(run, e.epoch as number));
    on('checkpoint.resume', (run, e) => this.resume(run, e.epoch as number));
    on('checkpoint.commit', (run, e) => this.commit(run, e.epoch as number));
    on('checkpoint.ack', (run, e) => this.ack(run, e.epoch as number));
    on('output.release', (run, e) => this.release(run, e.epoch as number));
    on('checkpoint.failover', (run) => this.failover(run));
  }

  // ---- protection starts: a full copy while the VM runs ------------------------------------

  private begin(run: CheckpointRun): void {
    const { vm, s } = run;
    const now = this.sim.now;
    s.startNs = now;
    if (this.primaryDown(run) || this.world.hostsDown.has(run.config.backup) || !run.link.up) {
      s.status = 'stopped';
      s.endNs = now;
      s.note = 'the primary, the backup or the link was down when protection was to start';
      this.sim.narrate('checkpoint.stopped', run.id, `Protection of ${vm.id} could not start: ${s.note}.`, 'warn');
      this.world.checkDone();
      return;
    }
    s.status = 'syncing';
    run.link.activeFlows++;
    vm.advance(now);
    // The full copy carries the memory as of now (as a copy-on-write snapshot would); what the
    // guest writes meanwhile stays dirty and goes with the first checkpoint.
    run.backup.bytes.set(vm.memory.bytes);
    run.backup.touched.setAll();
    if (run.backupDisk && vm.disk) {
      run.backupDisk.bytes.set(vm.disk.bytes);
      run.backupDisk.touched.setAll();
    }
    recordDeviceState(run, 0);
    run.backupDevice.set(run.device);
    run.reference.begin();
    vm.memory.dirty.clearAll();
    vm.disk?.dirty.clearAll();
    const bytes = vm.memory.byteLength + (vm.disk?.byteLength ?? 0);
    const sent = now + run.link.sendTime(bytes);
    s.linkFreeNs = sent;
    s.syncArriveNs = sent + run.link.latencyNs;
    this.sim.enterPhase(run.id, 'full copy');
    this.sim.narrate(
      'checkpoint.start',
      run.id,
      `Protection of ${vm.id} starts: a full copy of its ${formatBytes(bytes)} goes to ${run.config.backup} while it runs; then ${STRATEGY_LABELS[run.strategy]} every ${run.config.epochMs} ms.`,
      'phase',
    );
    this.sim.scheduleAt(s.syncArriveNs, { type: 'checkpoint.synced', ck: run.index });
  }

  private synced(run: CheckpointRun): void {
    const s = run.s;
    if (run.over) return;
    const now = this.sim.now;
    s.status = 'protecting';
    s.syncedNs = now;
    s.committed = 0;
    s.acked = 0;
    this.verify(run, 0, true);
    s.trafficStartNs = now;
    this.sim.narrate(
      'checkpoint.synced',
      run.id,
      `The full copy reached ${run.config.backup}: ${run.vm.id} is protected; epoch 1 begins.`,
      'phase',
    );
    this.startEpoch(run, 1, now, now + run.epochNs);
  }

  // ---- epochs --------------------------------------------------------------------------------

  private startEpoch(run: CheckpointRun, epoch: number, now: Nanos, stunAt: Nanos): void {
    run.s.epochStartNs = now;
    this.sim.enterPhase(run.id, `epoch ${epoch}`);
    if (STRATEGIES[run.strategy].sendsEarly(run)) {
      for (let k = 1; k <= EARLY_PASSES; k++) {
        const at = now + Math.floor((k * run.epochNs) / (EARLY_PASSES + 1));
        if (at < stunAt) this.sim.scheduleAt(at, { type: 'checkpoint.early', ck: run.index, epoch });
      }
    }
    this.sim.scheduleAt(stunAt, { type: 'checkpoint.stun', ck: run.index, epoch });
  }

  /** Feedback with history: dirty pages whose history says they are rarely re-dirtied go now, while the VM runs. */
  private sendEarly(run: CheckpointRun, epoch: number): void {
    const { vm, s } = run;
    if (!run.protecting || this.primaryDown(run) || s.epoch + 1 !== epoch || s.stunning) return;
    vm.advance(this.sim.now);
    const dirty = vm.memory.dirty;
    const picked: number[] = [];
    for (let p = dirty.scan(0, run.pages); p >= 0; p = dirty.scan(p + 1, run.pages)) {
      if (popcount8(run.history[p]) <= 1) picked.push(p);
    }
    if (picked.length === 0) return;
    for (const p of picked) {
      dirty.clear(p);
      run.sentEarly.set(p);
      run.sentAt[p] = this.sim.eventIndex;
    }
    const batch = newBatch(true, vm.memory, Int32Array.from(picked), run.staging);
    STRATEGIES[run.strategy].encode(run, batch);
    this.send(run, batch);
    s.early.push(batch);
    s.pagesSentWhileRunning += picked.length;
    this.sim.narrate(
      'checkpoint.early',
      run.id,
      `${formatCount(picked.length)} dirty pages rarely re-dirtied in the last 8 epochs go now, while ${vm.id} runs (${formatBytes(batch.wireBytes)}).`,
    );
  }

  private stun(run: CheckpointRun, epoch: number): void {
    const { vm, s, config } = run;
    if (!run.protecting || this.primaryDown(run)) return;
    const now = this.sim.now;
    const costs = config.costs;
    vm.pause(now);
    produceResponses(run, now);
    const responses = sealEpoch(run, epoch);
    recordDeviceState(run, epoch);
    run.reference.atStun(epoch);
    s.stunning = true;
    s.stunStartNs = now;
    s.epoch = epoch;
    // Scan and clear the dirty bits; what was sent early this epoch counts as dirtied for the history.
    const dirty = vm.memory.dirty;
    const pages = setPages(dirty, run.pages);
    if (run.strategy === 'feedback') {
      for (let p = 0; p < run.pages; p++) {
        const bit = dirty.get(p) || run.sentEarly.get(p) ? 1 : 0;
        run.history[p] = ((run.history[p] << 1) | bit) & 0xff;
      }
    }
    const earlyPages = run.sentEarly.count();
    dirty.clearAll();
    run.sentEarly.clearAll();
    for (const p of pages) run.sentAt[p] = this.sim.eventIndex;
    const batch = newBatch(false, vm.memory, pages, run.staging);
    if (vm.disk) {
      batch.blocks = setPages(vm.disk.dirty, vm.disk.pages);
      batch.blockSlots = run.staging.copyPages(vm.disk, batch.blocks);
      vm.disk.dirty.clearAll();
    }
    batch.device = run.device.slice();
    const stunNs = Math.round(
      costs.stunUs * 1000 +
        run.pages * costs.scanNsPerPage +
        pages.length * costs.clearNsPerDirtyPage +
        pages.length * costs.copyNsPerPage,
    );
    const checkpoint: Checkpoint = {
      epoch,
      stunNs: now,
      resumeNs: now + stunNs,
      sentNs: -1,
      arriveNs: -1,
      commitNs: -1,
      batches: [...s.early, batch],
    };
    s.early = [];
    s.inFlight.push(checkpoint);
    const waitedNs = Math.max(0, now - (s.epochStartNs + run.epochNs));
    s.epochs.push(epochStat(epoch, s.epochStartNs, now, now + stunNs, waitedNs, responses, earlyPages));
    this.sim.enterPhase(run.id, `stun ${epoch}`, true);
    this.sim.narrate(
      'checkpoint.stun',
      run.id,
      `Checkpoint ${epoch}: ${vm.id} is stunned; ${formatCount(pages.length)} dirty pages are copied to the staging buffer${
        batch.blocks.length ? `, ${formatCount(batch.blocks.length)} disk blocks mirrored` : ''
      }; the stun lasts ${formatDuration(stunNs)}.${
        waitedNs > 0 ? ` It waited ${formatDuration(waitedNs)} for checkpoint ${epoch - 1} to leave.` : ''
      }`,
    );
    this.sim.schedule(stunNs, { type: 'checkpoint.resume', ck: run.index, epoch });
  }

  private resume(run: CheckpointRun, epoch: number): void {
    const { vm, s } = run;
    if (!run.protecting || this.primaryDown(run)) return;
    const now = this.sim.now;
    vm.resume(now);
    this.world.startTicking(vm);
    s.stunning = false;
    s.stunnedNs += now - s.stunStartNs;
    const checkpoint = s.inFlight.find((c) => c.epoch === epoch) as Checkpoint;
    const batch = checkpoint.batches[checkpoint.batches.length - 1];
    // Compressed (or diffed) from the staging buffer after the VM resumed, as Xen does.
    STRATEGIES[run.strategy].encode(run, batch);
    this.send(run, batch);
    checkpoint.sentNs = s.linkFreeNs;
    checkpoint.arriveNs = checkpoint.sentNs + run.link.latencyNs;
    const applyNs = Math.round(
      checkpoint.batches.reduce((n, b) => n + b.pages.length, 0) * run.config.costs.copyNsPerPage,
    );
    // The backup applies checkpoints one after another, in order.
    checkpoint.commitNs = Math.max(checkpoint.arriveNs, s.backupFreeNs) + applyNs;
    s.backupFreeNs = checkpoint.commitNs;
    fillStat(s.epochs[s.epochs.length - 1], checkpoint);
    this.sim.scheduleAt(checkpoint.commitNs, { type: 'checkpoint.commit', ck: run.index, epoch });
    // The next stun waits if this checkpoint has not left by the end of the next epoch.
    this.startEpoch(run, epoch + 1, now, Math.max(now + run.epochNs, checkpoint.sentNs));
  }

  /** Put a batch on the link after whatever this VM's stream already queued. */
  private send(run: CheckpointRun, batch: Batch): void {
    const start = Math.max(this.sim.now, run.s.linkFreeNs);
    run.s.linkFreeNs = start + run.link.sendTime(batch.wireBytes);
  }

  /** The whole checkpoint reached the backup: apply it to the backup's copy, verify, acknowledge. */
  private commit(run: CheckpointRun, epoch: number): void {
    if (run.over) return;
    const s = run.s;
    const i = s.inFlight.findIndex((c) => c.epoch === epoch);
    if (i < 0) return;
    const [checkpoint] = s.inFlight.splice(i, 1);
    this.applyCheckpoint(run, checkpoint);
    this.sim.schedule(run.link.latencyNs, { type: 'checkpoint.ack', ck: run.index, epoch });
  }

  private applyCheckpoint(run: CheckpointRun, checkpoint: Checkpoint): void {
    const s = run.s;
    const feedback = STRATEGIES[run.strategy].usesFeedback(run) ? new Map<number, boolean>() : null;
    run.lastApplied.clearAll();
    for (const batch of checkpoint.batches) {
      applyBatch(run, batch, feedback);
      run.reference.markApplied(batch.pages, batch.blocks);
      releaseBatch(run, batch);
    }
    s.committed = checkpoint.epoch;
    const stat = s.epochs.find((e) => e.epoch === checkpoint.epoch);
    if (stat) stat.commitNs = this.sim.now;
    if (feedback) this.feedbackFor(run, checkpoint.epoch, feedback);
    this.verify(run, checkpoint.epoch);
  }

  /** The backup's verdict per page travels with the ack: kept in the epoch's stat until the ack arrives. */
  private feedbackFor(run: CheckpointRun, epoch: number, verdicts: Map<number, boolean>): void {
    const stat = run.s.epochs.find((e) => e.epoch === epoch);
    if (stat) stat.feedback = [...verdicts.entries()].map(([p, small]) => (small ? p : -1 - p));
  }

  /** The backup against the primary as it was at stun `epoch` (see ReferenceTracker), byte for byte. */
  private verify(run: CheckpointRun, epoch: number, full = false): void {
    const s = run.s;
    run.reference.advanceTo(epoch);
    const mismatched = run.reference.mismatches(run.backup, run.backupDisk, full);
    if (mismatched === 0) s.verifiedCheckpoints++;
    else {
      s.mismatchedPages += mismatched;
      this.sim.narrate(
        'checkpoint.mismatch',
        run.id,
        `After checkpoint ${epoch}, ${formatCount(mismatched)} pages of the backup differ from ${run.vm.id} as it was at the stun.`,
        'warn',
      );
    }
  }

  private ack(run: CheckpointRun, epoch: number): void {
    const s = run.s;
    const stat = s.epochs.find((e) => e.epoch === epoch);
    if (run.over || this.primaryDown(run)) return;
    s.acked = epoch;
    if (stat) {
      stat.ackNs = this.sim.now;
      for (const v of stat.feedback ?? []) {
        if (v >= 0) run.candidates.set(v);
        else run.candidates.clear(-1 - v);
      }
      stat.feedback = undefined;
    }
    this.sim.narrate(
      'checkpoint.ack',
      run.id,
      `${run.config.backup} acknowledged checkpoint ${epoch}${stat ? ` (${formatBytes(stat.bytes)}, ${formatDuration(this.sim.now - stat.stunNs)} after its stun)` : ''}.`,
    );
    if (s.held.some((b) => b.epoch === epoch)) this.sim.schedule(0, { type: 'output.release', ck: run.index, epoch });
  }

  private release(run: CheckpointRun, epoch: number): void {
    if (this.primaryDown(run)) return;
    const n = releaseEpoch(run, epoch, this.sim.now);
    const stat = run.s.epochs.find((e) => e.epoch === epoch);
    if (stat) stat.released = true;
    this.sim.narrate(
      'output.release',
      run.id,
      `The output buffer releases ${formatCount(n)} responses of epoch ${epoch}.`,
    );
  }

  // ---- faults --------------------------------------------------------------------------------

  private primaryFailed(run: CheckpointRun): void {
    const s = run.s;
    const now = this.sim.now;
    s.failNs = now;
    if (s.status === 'syncing') {
      this.endProtection(
        run,
        'stopped',
        'the primary failed before the full copy reached the backup: nothing to fail over to',
      );
      return;
    }
    if (!s.stunning) produceResponses(run, now);
    const hb = msToNs(run.config.heartbeatMs);
    const lastBeat = s.syncedNs + Math.floor((now - s.syncedNs) / hb) * hb;
    s.detectNs = Math.max(now, lastBeat + run.link.latencyNs + run.config.heartbeatMisses * hb);
    this.sim.narrate(
      'checkpoint.primary-down',
      run.id,
      `The primary ${run.primary} is down; ${run.config.backup} will notice after ${run.config.heartbeatMisses} missed heartbeats (every ${run.config.heartbeatMs} ms).`,
      'warn',
    );
    this.sim.scheduleAt(s.detectNs, { type: 'checkpoint.failover', ck: run.index, epoch: s.committed });
  }

  /** The backup declares the primary dead: it finishes a checkpoint that fully arrived, drops a partial one, and resumes. */
  private failover(run: CheckpointRun): void {
    const { vm, s } = run;
    if (run.over) return;
    const now = this.sim.now;
    let discarded = s.early.length > 0;
    for (const checkpoint of s.inFlight) {
      const arrived = checkpoint.sentNs >= 0 && checkpoint.sentNs <= s.failNs && checkpoint.arriveNs <= now;
      if (arrived) this.applyCheckpoint(run, checkpoint);
      else {
        discarded = true;
        for (const batch of checkpoint.batches) releaseBatch(run, batch);
        const stat = s.epochs.find((e) => e.epoch === checkpoint.epoch);
        if (stat) stat.discarded = true;
      }
    }
    for (const batch of s.early) releaseBatch(run, batch);
    s.inFlight = [];
    s.early = [];
    // The VM continues on the backup from the last committed checkpoint, checked whole first.
    this.verify(run, s.committed, true);
    for (let p = 0; p < run.pages; p++)
      if (!vm.memory.pageEquals(p, run.backup)) vm.memory.installPage(p, run.backup.page(p));
    if (vm.disk && run.backupDisk)
      for (let p = 0; p < vm.disk.pages; p++)
        if (!vm.disk.pageEquals(p, run.backupDisk)) vm.disk.installPage(p, run.backupDisk.page(p));
    run.device.set(run.backupDevice);
    let lost = vm.memory.mismatchedPages(run.reference.memory).length;
    if (vm.disk && run.reference.disk) lost += vm.disk.mismatchedPages(run.reference.disk).length;
    s.lostAckedBytes = lost * PAGE_SIZE;
    s.verifiedFailover = lost === 0;
    const known = backupSeq(run);
    s.responsesLostOnFailover = Math.max(0, s.responsesSeenByClients - known);
    s.held = [];
    s.current = [];
    s.failoverMs = (now - s.failNs) / 1e6;
    vm.host = run.config.backup;
    vm.memory.dirty.clearAll();
    vm.disk?.dirty.clearAll();
    vm.resume(now);
    this.world.startTicking(vm);
    this.endProtection(run, 'failed-over', '');
    this.sim.enterPhase(run.id, 'failed over');
    this.sim.narrate(
      'checkpoint.failover',
      run.id,
      `Failover: ${vm.id} resumes on ${run.config.backup} from checkpoint ${s.committed}, ${formatDuration(now - s.failNs)} after the primary failed${
        discarded ? '; the partial checkpoint is discarded' : ''
      }. ${s.verifiedFailover ? 'Its memory equals the primary at that checkpoint, byte for byte.' : `${formatCount(lost)} pages differ from that checkpoint!`} ${
        s.responsesLostOnFailover > 0
          ? `Clients saw ${formatCount(s.responsesLostOnFailover)} responses the backup knows nothing of.`
          : 'No client saw a response the backup does not know.'
      }`,
      'done',
    );
  }

  private stopProtection(run: CheckpointRun, why: string): void {
    const s = run.s;
    // The VM goes on alone, unprotected: what the output buffer held is let out.
    for (const b of s.held) releaseEpoch(run, b.epoch, this.sim.now);
    this.endProtection(run, 'stopped', why);
    this.sim.narrate('checkpoint.stopped', run.id, `Protection of ${run.vm.id} stops: ${why}.`, 'warn');
  }

  private endProtection(run: CheckpointRun, status: 'failed-over' | 'stopped', note: string): void {
    const s = run.s;
    if (s.stunning) {
      s.stunnedNs += this.sim.now - s.stunStartNs;
      s.stunning = false;
      if (status === 'stopped' && !this.primaryDown(run)) {
        run.vm.resume(this.sim.now);
        this.world.startTicking(run.vm);
      }
    }
    if (s.status === 'syncing' || s.status === 'protecting') run.link.activeFlows--;
    s.status = status;
    s.endNs = this.sim.now;
    if (note) s.note = note;
    run.reference.stop();
    if (status === 'stopped') this.sim.closePhase(run.id);
    this.world.checkDone();
  }
}

/** Its pages left the staging buffer. */
function releaseBatch(run: CheckpointRun, batch: Batch): void {
  run.staging.release(batch.slots);
  run.staging.release(batch.blockSlots);
}

function popcount8(x: number): number {
  let n = 0;
  for (let v = x; v; v &= v - 1) n++;
  return n;
}

function epochStat(
  epoch: number,
  runNs: Nanos,
  stunNs: Nanos,
  resumeNs: Nanos,
  waitedNs: Nanos,
  responses: number,
  earlyPages: number,
): EpochStat {
  return {
    epoch,
    runNs,
    stunNs,
    resumeNs,
    sentNs: -1,
    commitNs: -1,
    ackNs: -1,
    waitedNs,
    pages: 0,
    fullPages: 0,
    deltaPages: 0,
    earlyPages,
    blocks: 0,
    bytes: 0,
    fullBytes: 0,
    diffBytes: 0,
    rawBytes: 0,
    responses,
    discarded: false,
    released: false,
  };
}

function fillStat(stat: EpochStat, checkpoint: Checkpoint): void {
  stat.sentNs = checkpoint.sentNs;
  for (const b of checkpoint.batches) {
    stat.pages += b.pages.length;
    for (const k of b.kinds) {
      if (k === 0) stat.fullPages++;
      else stat.deltaPages++;
    }
    stat.blocks += b.blocks.length;
    stat.bytes += b.wireBytes;
    stat.fullBytes += b.fullBytes;
    stat.diffBytes += b.diffBytes;
    stat.rawBytes += b.pages.length * (PAGE_SIZE + 8);
  }
}
