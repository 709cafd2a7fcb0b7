import { formatDuration, MiB, msToNs, transferNs, usToNs } from '../kernel/clock';
import type { SimEvent } from '../kernel/eventQueue';
import type { Simulation } from '../kernel/simulation';
import { sectionOf, type VmConfig } from '../scenario/fields';
import type { Mechanism, World } from '../world/world';
import { discard, read, unmap, unmappedExtents, writeMapped } from './ioLayer';
import { type JobRecord, PoolRun, type PoolRunSnapshot, VmTemp } from './model';
import { ExtentState } from './poolFile';
import type { PoolConfig, TempDiskConfig } from './schema';
import { fillUnit, Op, taggedVm, UNIT_BYTES } from './workload';

type PoolVm = VmConfig & { tempDisk?: TempDiskConfig };

/**
 * Every pool of a scenario and the temp-data jobs of the VMs whose temporary disks live in it:
 * the I/O virtualization layer's events (allocation, discard, queueing and failure when full),
 * the guests' jobs, and the checks every read makes on the bytes it gets.
 */
export class PoolMechanism implements Mechanism {
  readonly name = 'pool';
  readonly pools: PoolRun[];
  readonly sim: Simulation;
  private readonly unitWords = new Uint32Array(UNIT_BYTES / 4);
  private readonly readBuffer = new Uint8Array(UNIT_BYTES);
  private readonly expected = new Uint32Array(UNIT_BYTES / 4);

  constructor(readonly world: World) {
    this.sim = world.sim;
    const configs = sectionOf<PoolConfig>(world.scenario, 'pools');
    this.pools = configs.map((c, i) => new PoolRun(i, c, world.scenario.seed));
    for (const vm of world.scenario.vms as PoolVm[]) {
      const disk = vm.tempDisk;
      if (!disk) continue;
      const run = this.pools.find((p) => p.id === disk.pool);
      if (!run) throw new Error(`no pool ${disk.pool}`);
      run.vms.push(new VmTemp(run.vms.length, vm.id, disk.sizeMiB, disk.jobs, run.file));
    }
    this.installEvents();
    world.addMechanism(this);
  }

  start(): void {
    for (const run of this.pools) {
      for (const v of run.vms) this.sim.scheduleAt(0, { type: 'pool.powerOn', pool: run.index, vm: v.vm });
      const { growAtMs, growMiB } = run.config;
      if (growAtMs !== undefined && growMiB !== undefined)
        this.sim.scheduleAt(msToNs(growAtMs), { type: 'pool.grow', pool: run.index, growMiB });
    }
  }

  isDone(): boolean {
    return this.pools.every((p) => p.vms.every((v) => this.vmDone(v)) && !this.freesPending(p));
  }

  snapshot(): PoolRunSnapshot[] {
    return this.pools.map((p) => p.snapshot());
  }

  restore(state: unknown): void {
    (state as PoolRunSnapshot[]).forEach((s, i) => {
      this.pools[i].restore(s);
    });
  }

  subjectOf(event: SimEvent): string {
    const run = this.pools[event.pool as number];
    if (!run) return '';
    if (event.type.startsWith('extent.') || typeof event.vm !== 'string') return run.id;
    return event.vm;
  }

  private vmDone(v: VmTemp): boolean {
    return v.s.jobIndex >= v.jobs.length;
  }

  private freesPending(run: PoolRun): boolean {
    for (let e = 0; e < run.file.capacity; e++) if (run.file.state[e] === ExtentState.discarding) return true;
    return false;
  }

  private installEvents(): void {
    const on = (type: string, fn: (run: PoolRun, v: VmTemp | undefined, e: SimEvent) => void) =>
      this.sim.on(type, (e) => {
        const run = this.pools[e.pool as number];
        fn(
          run,
          run.vms.find((v) => v.vm === e.vm),
          e,
        );
      });
    on('pool.powerOn', (run, v) => v && this.powerOn(run, v));
    on('pool.jobStart', (run, v) => v && this.startJob(run, v));
    on('pool.step', (run, v) => v && this.runStep(run, v));
    on('extent.allocate', (run, v, e) => v && this.extentAllocated(run, v, e.extent as number, e.logical as number));
    on('extent.free', (run, _v, e) => this.extentFreed(run, e.extent as number));
    on('io.queue', (run, v) => v && this.enqueue(run, v));
    on('pool.queueTimeout', (run, v, e) => v && this.queueTimeout(run, v, e.seq as number));
    on('io.fail', (run, v, e) => v && this.commandFailed(run, v, e.reason as string));
    on('pool.jobEnd', (run, v) => v && this.nextJob(run, v));
    on('pool.grow', (run, _v, e) => this.grow(run, e.growMiB as number));
  }

  // ---- power-on and jobs ---------------------------------------------------------------------

  private powerOn(run: PoolRun, v: VmTemp): void {
    if (run.strategy.preallocates) {
      if (run.file.freeExtents < v.disk.extents) {
        run.c.vmsNotStarted++;
        this.sim.narrate(
          'pool.notStarted',
          v.vm,
          `${v.vm} does not power on: its ${v.disk.sizeBytes / MiB} MiB fixed temp disk does not fit in what is left of the ${run.config.sizeMiB} MiB datastore.`,
          'warn',
        );
        for (let j = 0; j < v.jobs.length; j++) {
          run.c.jobs.push(this.jobRecord(v, j, 'failed', 'the VM did not power on'));
          v.s.failedJobs++;
        }
        v.s.jobIndex = v.jobs.length;
        v.s.started = false;
        this.world.checkDone();
        return;
      }
      for (let logical = 0; logical < v.disk.extents; logical++) {
        const e = run.file.reserve(v.index);
        v.disk.map.insert(logical, e);
        run.file.activate(e, logical);
        run.changedAt[e] = this.sim.eventIndex;
        v.heldExtents++;
      }
      this.noteUsage(run, v);
    }
    v.s.started = true;
    this.nextJob(run, v);
  }

  private jobRecord(v: VmTemp, j: number, status: JobRecord['status'], reason = ''): JobRecord {
    const job = v.jobs[j];
    return {
      vm: v.vm,
      job: j,
      kind: job.kind,
      mapOutputMiB: job.mapOutputMiB,
      atNs: msToNs(job.atMs),
      startNs: status === 'failed' ? this.sim.now : -1,
      endNs: status === 'failed' ? this.sim.now : -1,
      status,
      reason,
      endIndex: status === 'failed' ? this.sim.eventIndex : -1,
    };
  }

  /** Start the VM's next job when its time comes (jobs of one VM run one after another). */
  private nextJob(run: PoolRun, v: VmTemp): void {
    const next = v.s.jobIndex + 1;
    v.s.cursor = 0;
    v.s.files = [];
    if (next >= v.jobs.length) {
      v.s.jobIndex = v.jobs.length;
      this.world.checkDone();
      return;
    }
    const at = Math.max(this.sim.now, msToNs(v.jobs[next].atMs));
    this.sim.scheduleAt(at, { type: 'pool.jobStart', pool: run.index, vm: v.vm, job: next });
  }

  private startJob(run: PoolRun, v: VmTemp): void {
    const s = v.s;
    s.jobIndex++;
    s.jobSeq++;
    s.cursor = 0;
    s.shadowFlagged = false;
    const job = v.jobs[s.jobIndex];
    s.files = Array.from({ length: v.program(s.jobIndex).fileCount }, () => []);
    run.c.jobs.push({ ...this.jobRecord(v, s.jobIndex, 'running'), startNs: this.sim.now });
    this.sim.narrate(
      'pool.job',
      v.vm,
      `${v.vm} starts job ${s.jobIndex + 1} (${job.kind}, ${job.mapOutputMiB} MiB of ${job.kind === 'hadoop' ? 'map output' : 'data'}).`,
    );
    this.runStep(run, v);
  }

  private endJob(run: PoolRun, v: VmTemp, status: 'completed' | 'failed', reason = ''): void {
    const record = this.currentRecord(run, v);
    if (record) {
      record.status = status;
      record.reason = reason;
      record.endNs = this.sim.now;
      record.endIndex = this.sim.eventIndex;
    }
    if (status === 'failed') v.s.failedJobs++;
    this.sim.narrate(
      'pool.jobEnd',
      v.vm,
      status === 'completed'
        ? `${v.vm} finished job ${v.s.jobIndex + 1}; its temporary files are deleted.`
        : `${v.vm}'s job ${v.s.jobIndex + 1} failed: ${reason}.`,
      status === 'completed' ? 'done' : 'warn',
    );
    this.sim.closePhase(`pool:${v.vm}`);
    this.sim.schedule(0, { type: 'pool.jobEnd', pool: run.index, vm: v.vm, job: v.s.jobIndex, status });
  }

  private currentRecord(run: PoolRun, v: VmTemp): JobRecord | undefined {
    return run.c.jobs.findLast((j) => j.vm === v.vm && j.job === v.s.jobIndex);
  }

  // ---- the job's steps -----------------------------------------------------------------------

  /** Run the job's steps from its cursor until one takes time (or the job ends). */
  private runStep(run: PoolRun, v: VmTemp): void {
    const s = v.s;
    const program = v.program(s.jobIndex);
    const costs = run.config.costs;
    const redirectNs = run.strategy.redirects ? usToNs(costs.redirectUs) : 0;
    const rate = costs.writeGBps * 1e9;
    while (s.cursor < program.ops.length) {
      const op = program.ops[s.cursor];
      const file = program.files[s.cursor];
      const arg = program.args[s.cursor];
      if (op === Op.phase) {
        this.sim.enterPhase(`pool:${v.vm}`, program.phaseNames[arg]);
        s.cursor++;
      } else if (op === Op.create) {
        if (!this.createFile(run, v, file, arg)) return;
        s.cursor++;
      } else if (op === Op.write) {
        const logicalUnit = s.files[file][arg];
        const offset = logicalUnit * UNIT_BYTES;
        const need = unmappedExtents(v.disk, offset, UNIT_BYTES);
        if (need.length > 0) {
          this.allocate(run, v, need);
          return;
        }
        fillUnit(this.unitWords, run.seed, v.index, s.jobSeq, file, arg);
        writeMapped(v.disk, offset, new Uint8Array(this.unitWords.buffer));
        v.everWritten[logicalUnit] = 1;
        run.c.commands++;
        run.c.overheadNs += redirectNs;
        s.cursor++;
        this.sim.schedule(redirectNs + transferNs(UNIT_BYTES, rate), { type: 'pool.step', pool: run.index, vm: v.vm });
        return;
      } else if (op === Op.read) {
        this.readAndCheck(run, v, s.files[file][arg], file, arg);
        run.c.commands++;
        run.c.overheadNs += redirectNs;
        s.cursor++;
        this.sim.schedule(redirectNs + transferNs(UNIT_BYTES, rate), { type: 'pool.step', pool: run.index, vm: v.vm });
        return;
      } else if (op === Op.probe) {
        const probed = this.probe(run, v, s.files[file][0]);
        s.cursor++;
        if (probed > 0) {
          run.c.commands += probed;
          run.c.overheadNs += redirectNs * probed;
          this.sim.schedule(probed * (redirectNs + transferNs(UNIT_BYTES, rate)), {
            type: 'pool.step',
            pool: run.index,
            vm: v.vm,
          });
          return;
        }
      } else if (op === Op.remove) {
        const commands = this.deleteFile(run, v, file);
        s.cursor++;
        if (commands > 0 && redirectNs > 0) {
          run.c.commands += commands;
          run.c.overheadNs += redirectNs * commands;
          this.sim.schedule(redirectNs * commands, { type: 'pool.step', pool: run.index, vm: v.vm });
          return;
        }
      } else {
        s.cursor++;
        this.sim.schedule(msToNs(v.jobs[s.jobIndex].holdMs), { type: 'pool.step', pool: run.index, vm: v.vm });
        return;
      }
    }
    this.endJob(run, v, 'completed');
  }

  /** The guest file system places a new file in free 256 KiB units of the disk, first fit. */
  private createFile(run: PoolRun, v: VmTemp, file: number, units: number): boolean {
    const out: number[] = [];
    for (let u = 0; u < v.unitsInUse.length && out.length < units; u++) if (!v.unitsInUse[u]) out.push(u);
    if (out.length < units) {
      this.failJob(
        run,
        v,
        `its ${v.disk.sizeBytes / MiB} MiB temporary disk is full (the guest's file system has no room)`,
      );
      return false;
    }
    for (const u of out) v.unitsInUse[u] = 1;
    v.s.files[file] = out;
    this.noteGuestUsage(run, v);
    return true;
  }

  /** Delete a file in the guest; with discard passed down, the extents it empties go back to the pool. */
  private deleteFile(run: PoolRun, v: VmTemp, file: number): number {
    const units = v.s.files[file] ?? [];
    for (const u of units) v.unitsInUse[u] = 0;
    v.s.files[file] = [];
    if (!run.strategy.passesDiscard || units.length === 0) return 0;
    const sorted = units.slice().sort((a, b) => a - b);
    let commands = 0;
    for (let i = 0; i < sorted.length; ) {
      let j = i + 1;
      while (j < sorted.length && sorted[j] === sorted[j - 1] + 1) j++;
      const emptied = discard(v.disk, sorted[i] * UNIT_BYTES, (j - i) * UNIT_BYTES);
      commands++;
      for (const logical of emptied) {
        const e = unmap(v.disk, logical);
        run.changedAt[e] = this.sim.eventIndex;
        this.sim.schedule(usToNs(run.config.costs.redirectUs), {
          type: 'extent.free',
          pool: run.index,
          vm: v.vm,
          extent: e,
        });
      }
      i = j;
    }
    return commands;
  }

  private readAndCheck(run: PoolRun, v: VmTemp, logicalUnit: number, file: number, unit: number): void {
    read(v.disk, logicalUnit * UNIT_BYTES, UNIT_BYTES, this.readBuffer);
    fillUnit(this.expected, run.seed, v.index, v.s.jobSeq, file, unit);
    const got = new Uint32Array(this.readBuffer.buffer);
    for (let sector = 0; sector < got.length; sector += 1024) {
      let same = true;
      for (let w = sector; w < sector + 1024; w++) {
        if (got[w] !== this.expected[w]) {
          same = false;
          break;
        }
      }
      if (!same) this.badSector(run, v, got[sector]);
    }
  }

  /** Read the units of the file's first extent that this VM never wrote: they must be zeros. */
  private probe(run: PoolRun, v: VmTemp, firstUnit: number | undefined): number {
    if (firstUnit === undefined) return 0;
    const unitsPerExtent = Math.max(1, run.file.extentBytes / UNIT_BYTES);
    const start = Math.floor(firstUnit / unitsPerExtent) * unitsPerExtent;
    let probed = 0;
    for (let u = start; u < Math.min(start + unitsPerExtent, v.everWritten.length); u++) {
      if (v.everWritten[u] || v.unitsInUse[u]) continue;
      read(v.disk, u * UNIT_BYTES, UNIT_BYTES, this.readBuffer);
      const got = new Uint32Array(this.readBuffer.buffer);
      for (let sector = 0; sector < got.length; sector += 1024) {
        let zero = true;
        for (let w = sector; w < sector + 1024; w++) {
          if (got[w] !== 0) {
            zero = false;
            break;
          }
        }
        if (!zero) this.badSector(run, v, got[sector]);
      }
      probed++;
      run.c.probes++;
    }
    return probed;
  }

  private badSector(run: PoolRun, v: VmTemp, firstWord: number): void {
    run.c.mismatchedSectors++;
    const writer = taggedVm(firstWord);
    if (writer >= 0 && writer !== v.index) {
      run.c.isolationViolations++;
      this.sim.narrate('pool.isolation', v.vm, `${v.vm} read bytes written by another VM: isolation broken.`, 'warn');
    }
  }

  // ---- allocation, queueing, failure ---------------------------------------------------------

  /** Reserve every extent a write needs, all or none; when none are left, fail or queue the write. */
  private allocate(run: PoolRun, v: VmTemp, need: number[]): void {
    if (run.file.freeExtents < need.length) {
      const queue = run.strategy.canQueue && run.config.whenFull === 'queue';
      this.sim.schedule(0, {
        type: queue ? 'io.queue' : 'io.fail',
        pool: run.index,
        vm: v.vm,
        need: need.length,
        ...(queue ? {} : { reason: 'ENOSPC' }),
      });
      return;
    }
    const costs = run.config.costs;
    const zeroNs =
      run.strategy.zeroes && run.config.zeroOnAllocate ? transferNs(run.file.extentBytes, costs.writeGBps * 1e9) : 0;
    const delay = usToNs(costs.missUs) + zeroNs;
    for (const logical of need) {
      const e = run.file.reserve(v.index);
      run.changedAt[e] = this.sim.eventIndex;
      v.heldExtents++;
      this.sim.schedule(delay, { type: 'extent.allocate', pool: run.index, vm: v.vm, extent: e, logical });
    }
    v.s.pendingAllocs = need.length;
    run.c.overheadNs += delay;
    this.noteUsage(run, v);
  }

  private extentAllocated(run: PoolRun, v: VmTemp, e: number, logical: number): void {
    v.disk.map.insert(logical, e);
    run.file.activate(e, logical);
    run.changedAt[e] = this.sim.eventIndex;
    run.c.extentsAllocated++;
    if (--v.s.pendingAllocs === 0) this.runStep(run, v);
  }

  private extentFreed(run: PoolRun, e: number): void {
    const owner = run.file.owner[e];
    run.file.release(e);
    run.changedAt[e] = this.sim.eventIndex;
    run.c.extentsFreed++;
    const v = run.vms[owner];
    if (v) {
      v.heldExtents--;
      this.noteUsage(run, v);
    }
    this.wakeWaiters(run);
    this.world.checkDone();
  }

  private enqueue(run: PoolRun, v: VmTemp): void {
    const need = this.currentNeed(v);
    if (need <= run.file.freeExtents) {
      this.runStep(run, v);
      return;
    }
    const seq = ++v.s.queueSeq;
    v.s.queuedSince = this.sim.now;
    run.c.waiters.push({ vm: v.index, seq });
    this.sim.narrate(
      'pool.queue',
      v.vm,
      `The pool is full: ${v.vm}'s write is held for up to ${formatDuration(msToNs(run.config.queueTimeoutMs))} (dm-thin's no_space_timeout).`,
      'warn',
    );
    this.sim.schedule(msToNs(run.config.queueTimeoutMs), { type: 'pool.queueTimeout', pool: run.index, vm: v.vm, seq });
  }

  private currentNeed(v: VmTemp): number {
    const program = v.program(v.s.jobIndex);
    const unit = v.s.files[program.files[v.s.cursor]][program.args[v.s.cursor]];
    return unmappedExtents(v.disk, unit * UNIT_BYTES, UNIT_BYTES).length;
  }

  /** Release queued writes in order while the head one fits. */
  private wakeWaiters(run: PoolRun): void {
    while (run.c.waiters.length > 0) {
      const head = run.c.waiters[0];
      const v = run.vms[head.vm];
      if (this.currentNeed(v) > run.file.freeExtents) return;
      run.c.waiters.shift();
      run.c.queuedNs += this.sim.now - v.s.queuedSince;
      this.sim.narrate(
        'pool.queue',
        v.vm,
        `${v.vm}'s queued write goes ahead after ${formatDuration(this.sim.now - v.s.queuedSince)}.`,
      );
      v.s.queuedSince = -1;
      this.runStep(run, v);
    }
  }

  private queueTimeout(run: PoolRun, v: VmTemp, seq: number): void {
    const i = run.c.waiters.findIndex((w) => w.vm === v.index && w.seq === seq);
    if (i < 0) return;
    run.c.waiters.splice(i, 1);
    run.c.queuedNs += this.sim.now - v.s.queuedSince;
    v.s.queuedSince = -1;
    this.sim.schedule(0, {
      type: 'io.fail',
      pool: run.index,
      vm: v.vm,
      need: this.currentNeed(v),
      reason: 'ENOSPC after queue timeout',
    });
  }

  private commandFailed(run: PoolRun, v: VmTemp, reason: string): void {
    run.c.commandsFailed++;
    this.failJob(run, v, `a write failed with ${reason}: the ${run.config.sizeMiB} MiB datastore is full`);
    this.wakeWaiters(run);
  }

  /** The job fails; it deletes what it wrote (discarded as a delete would be) and the VM goes on. */
  private failJob(run: PoolRun, v: VmTemp, reason: string): void {
    for (let f = 0; f < v.s.files.length; f++) this.deleteFile(run, v, f);
    this.endJob(run, v, 'failed', reason);
  }

  private grow(run: PoolRun, growMiB: number): void {
    const before = run.file.capacity;
    run.file.grow(before + (growMiB * 1024) / run.config.extentKiB);
    run.c.grown = true;
    this.sim.narrate('pool.grow', run.id, `The operator grows pool ${run.id} by ${growMiB} MiB, live.`, 'phase');
    this.noteUsage(run);
    this.wakeWaiters(run);
  }

  // ---- utilisation ---------------------------------------------------------------------------

  private noteUsage(run: PoolRun, v?: VmTemp): void {
    if (v && v.heldExtents > v.s.peakExtents) v.s.peakExtents = v.heldExtents;
    const used = run.file.usedExtents;
    if (used > run.c.peakExtents) run.c.peakExtents = used;
    const series = run.c.series;
    const tMs = this.sim.now / 1e6;
    const n = series.length;
    if (n >= 3 && series[n - 3] === tMs) {
      series[n - 2] = used;
      series[n - 1] = run.sumOfVmPeaks();
    } else series.push(tMs, used, run.sumOfVmPeaks());
  }

  /** A fixed disk of the pool's size shared evenly would have failed this job here (pool and thin files only). */
  private noteGuestUsage(run: PoolRun, v: VmTemp): void {
    if (run.strategy.preallocates || v.s.shadowFlagged) return;
    const used = v.unitsUsed * UNIT_BYTES;
    if (used <= run.fairShareBytes) return;
    v.s.shadowFlagged = true;
    run.c.shadow.push({ vm: v.vm, job: v.s.jobIndex, tNs: this.sim.now, usedMiB: used / MiB });
    this.sim.narrate(
      'pool.shadow',
      v.vm,
      `${v.vm}'s job ${v.s.jobIndex + 1} now holds ${used / MiB} MiB: a fixed disk of ${Math.floor(run.fairShareBytes / MiB)} MiB (the datastore shared evenly) would have failed it here; the pool carries it.`,
    );
  }
}
