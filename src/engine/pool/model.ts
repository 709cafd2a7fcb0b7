import { MiB, type Nanos } from '../kernel/clock';
import { TempDisk } from './ioLayer';
import { PoolFile, type PoolFileSnapshot } from './poolFile';
import type { PoolConfig, TempDiskJob } from './schema';
import { POOL_STRATEGIES, type PoolStrategyDriver } from './strategies';
import { type JobProgram, jobProgram, UNIT_BYTES } from './workload';

export type JobStatus = 'waiting' | 'running' | 'completed' | 'failed';

/** A job as the timeline draws it. */
export interface JobRecord {
  vm: string;
  job: number;
  kind: string;
  mapOutputMiB: number;
  atNs: Nanos;
  startNs: Nanos;
  endNs: Nanos;
  status: JobStatus;
  reason: string;
  /** Event index of its end (for links that seek), -1 while it runs. */
  endIndex: number;
}

/** A place where a fixed disk of the pool's size shared evenly would have failed a job this run carried. */
export interface ShadowFailure {
  vm: string;
  job: number;
  tNs: Nanos;
  usedMiB: number;
}

/** Everything of a VM's temp-data work that changes as it runs. */
export interface RunnerState {
  started: boolean;
  jobIndex: number;
  jobSeq: number;
  cursor: number;
  /** Logical units each file of the current job holds. */
  files: number[][];
  /** A write is waiting for this many extent.allocate events. */
  pendingAllocs: number;
  /** Queued for space since (ns), -1 when not queued. */
  queuedSince: Nanos;
  queueSeq: number;
  shadowFlagged: boolean;
  failedJobs: number;
  peakExtents: number;
}

export class VmTemp {
  readonly disk: TempDisk;
  /** Guest file system: 1 where a 256 KiB unit of the disk belongs to a file. */
  unitsInUse: Uint8Array;
  /** Units the VM has ever written (a probe reads only units it never wrote). */
  everWritten: Uint8Array;
  /** Pool extents the disk holds (reserved, mapped or being discarded). */
  heldExtents = 0;
  s: RunnerState;
  private programs = new Map<number, JobProgram>();

  constructor(
    readonly index: number,
    readonly vm: string,
    sizeMiB: number,
    readonly jobs: TempDiskJob[],
    pool: PoolFile,
  ) {
    this.disk = new TempDisk(index, vm, sizeMiB * MiB, pool);
    const units = (sizeMiB * MiB) / UNIT_BYTES;
    this.unitsInUse = new Uint8Array(units);
    this.everWritten = new Uint8Array(units);
    this.s = {
      started: false,
      jobIndex: -1,
      jobSeq: -1,
      cursor: 0,
      files: [],
      pendingAllocs: 0,
      queuedSince: -1,
      queueSeq: 0,
      shadowFlagged: false,
      failedJobs: 0,
      peakExtents: 0,
    };
  }

  program(jobIndex: number): JobProgram {
    let p = this.programs.get(jobIndex);
    if (!p) {
      p = jobProgram(this.jobs[jobIndex]);
      this.programs.set(jobIndex, p);
    }
    return p;
  }

  get unitsUsed(): number {
    let n = 0;
    for (const u of this.unitsInUse) n += u;
    return n;
  }

  snapshot(): VmTempSnapshot {
    return {
      map: this.disk.map.snapshot(),
      unitsInUse: this.unitsInUse.slice(),
      everWritten: this.everWritten.slice(),
      heldExtents: this.heldExtents,
      s: { ...this.s, files: this.s.files.map((f) => f.slice()) },
    };
  }

  restore(snap: VmTempSnapshot): void {
    this.disk.map.restore(snap.map);
    this.unitsInUse.set(snap.unitsInUse);
    this.everWritten.set(snap.everWritten);
    this.heldExtents = snap.heldExtents;
    this.s = { ...snap.s, files: snap.s.files.map((f) => f.slice()) };
  }
}

export interface VmTempSnapshot {
  map: ReturnType<TempDisk['map']['snapshot']>;
  unitsInUse: Uint8Array;
  everWritten: Uint8Array;
  heldExtents: number;
  s: RunnerState;
}

/** Counters and histories of a pool, all part of the state (snapshots copy them). */
export interface PoolCounters {
  extentsAllocated: number;
  extentsFreed: number;
  commands: number;
  commandsFailed: number;
  /** Time commands spent on redirection and allocation (lookups, misses, zeroing), ns. */
  overheadNs: number;
  queuedNs: number;
  peakExtents: number;
  mismatchedSectors: number;
  isolationViolations: number;
  probes: number;
  vmsNotStarted: number;
  grown: boolean;
  /** Waiters for space, FIFO: VM index and queue ticket. */
  waiters: { vm: number; seq: number }[];
  /** Utilisation over time: time (ms), extents used, sum of per-VM peaks so far. */
  series: number[];
  jobs: JobRecord[];
  shadow: ShadowFailure[];
}

/** One pool (a datastore) and the VMs whose temporary disks live in it. */
export class PoolRun {
  readonly file: PoolFile;
  readonly strategy: PoolStrategyDriver;
  readonly vms: VmTemp[] = [];
  /** Event index of each extent's last change, for the details panel. */
  changedAt: Int32Array;
  c: PoolCounters;

  constructor(
    readonly index: number,
    readonly config: PoolConfig,
    readonly seed: number,
  ) {
    const perMiB = 1024 / config.extentKiB;
    const max = (config.sizeMiB + (config.growMiB ?? 0)) * perMiB;
    this.strategy = POOL_STRATEGIES[config.strategy];
    this.file = new PoolFile(config.extentKiB, config.sizeMiB * perMiB, max, config.zeroOnAllocate);
    this.changedAt = new Int32Array(max).fill(-1);
    this.c = {
      extentsAllocated: 0,
      extentsFreed: 0,
      commands: 0,
      commandsFailed: 0,
      overheadNs: 0,
      queuedNs: 0,
      peakExtents: 0,
      mismatchedSectors: 0,
      isolationViolations: 0,
      probes: 0,
      vmsNotStarted: 0,
      grown: false,
      waiters: [],
      series: [0, 0, 0],
      jobs: [],
      shadow: [],
    };
  }

  get id(): string {
    return this.config.id;
  }

  get extentMiB(): number {
    return this.config.extentKiB / 1024;
  }

  /** The pool's size shared evenly among its disks: what "fixed disks of the same total" each get. */
  get fairShareBytes(): number {
    return this.vms.length ? Math.floor((this.config.sizeMiB * MiB) / this.vms.length) : 0;
  }

  sumOfVmPeaks(): number {
    let n = 0;
    for (const v of this.vms) n += v.s.peakExtents;
    return n;
  }

  snapshot(): PoolRunSnapshot {
    return {
      file: this.file.snapshot(),
      vms: this.vms.map((v) => v.snapshot()),
      changedAt: this.changedAt.slice(),
      c: {
        ...this.c,
        waiters: this.c.waiters.map((w) => ({ ...w })),
        series: this.c.series.slice(),
        jobs: this.c.jobs.map((j) => ({ ...j })),
        shadow: this.c.shadow.slice(),
      },
    };
  }

  restore(s: PoolRunSnapshot): void {
    this.file.restore(s.file);
    s.vms.forEach((v, i) => {
      this.vms[i].restore(v);
    });
    this.changedAt.set(s.changedAt);
    this.c = {
      ...s.c,
      waiters: s.c.waiters.map((w) => ({ ...w })),
      series: s.c.series.slice(),
      jobs: s.c.jobs.map((j) => ({ ...j })),
      shadow: s.c.shadow.slice(),
    };
  }
}

export interface PoolRunSnapshot {
  file: PoolFileSnapshot;
  vms: VmTempSnapshot[];
  changedAt: Int32Array;
  c: PoolCounters;
}
