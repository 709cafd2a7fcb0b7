import { Bitmap } from '../hw/bitmap';
import { GuestMemory, type MemoryKeeper, type MemorySnapshot } from '../hw/guestMemory';
import type { Link } from '../hw/link';
import type { Nanos } from '../kernel/clock';
import type { VirtualMachine } from '../world/virtualMachine';
import { LruPageCache, type LruSnapshot } from './lruPageCache';
import { PageStore, type PageStoreSnapshot } from './pageStore';
import type { CheckpointConfig, CheckpointStrategyName } from './schema';
import { type ReferenceSnapshot, ReferenceTracker } from './verify';

export type CheckpointStatus = 'pending' | 'syncing' | 'protecting' | 'failed-over' | 'stopped';

/** How a page crossed: its whole bytes, or a delta against the copy the backup holds. */
export const FULL = 0;
export const DELTA = 1;
/** Each page record also carries its frame number (an 8-byte pfn, as xc_domain_save sends it). */
export const PFN_BYTES = 8;
/** The VM's device state checkpointed with its memory: the NIC's response sequence number and last payload's hash. */
export const DEVICE_BYTES = 64;

/** One piece of a checkpoint on the link: pages sent while the VM ran (early), or those captured at the stun. */
export interface Batch {
  early: boolean;
  pages: Int32Array;
  kinds: Uint8Array;
  /** Each page's bytes as captured: its slot in the run's staging buffer (`CheckpointRun.staging`). */
  slots: Int32Array;
  /**
   * The DELTA pages' Xen records, in order; a FULL page's record would be its captured bytes
   * behind one marker byte, so it is applied from its slot (and counted in `fullBytes`).
   */
  wire: Uint8Array;
  blocks: Int32Array;
  blockSlots: Int32Array;
  device: Uint8Array | null;
  wireBytes: number;
  fullBytes: number;
  diffBytes: number;
}

/** A checkpoint from its stun until the backup commits it. */
export interface Checkpoint {
  epoch: number;
  stunNs: Nanos;
  resumeNs: Nanos;
  /** When its last byte left the primary, reached the backup, was applied: -1 until known. */
  sentNs: Nanos;
  arriveNs: Nanos;
  commitNs: Nanos;
  batches: Batch[];
}

/** One epoch's figures, for the lanes, the bytes chart and the metrics. */
export interface EpochStat {
  epoch: number;
  /** Start of the epoch's run (the previous resume). */
  runNs: Nanos;
  stunNs: Nanos;
  resumeNs: Nanos;
  sentNs: Nanos;
  commitNs: Nanos;
  ackNs: Nanos;
  /** The stun waited this long for the previous checkpoint to leave. */
  waitedNs: Nanos;
  pages: number;
  fullPages: number;
  deltaPages: number;
  earlyPages: number;
  blocks: number;
  bytes: number;
  fullBytes: number;
  diffBytes: number;
  /** What the same records would take as whole pages. */
  rawBytes: number;
  responses: number;
  discarded: boolean;
  /** Its responses reached the clients. */
  released: boolean;
  /** feedback: the backup's verdict per page (p: worth a diff, -1-p: not), until the ack carries it. */
  feedback?: number[];
}

/** Responses held by the plug qdisc behind one epoch boundary. */
export interface HeldBatch {
  epoch: number;
  /** When each response was produced (ns). */
  produced: number[];
  firstSeq: number;
}

export interface CheckpointScalars {
  status: CheckpointStatus;
  startNs: Nanos;
  syncedNs: Nanos;
  syncArriveNs: Nanos;
  endNs: Nanos;
  /** The newest stunned checkpoint, the newest the backup committed, the newest whose ack reached the primary. */
  epoch: number;
  committed: number;
  acked: number;
  epochStartNs: Nanos;
  stunStartNs: Nanos;
  stunnedNs: Nanos;
  stunning: boolean;
  linkFreeNs: Nanos;
  /** The backup has applied every checkpoint that reached it by then. */
  backupFreeNs: Nanos;
  inFlight: Checkpoint[];
  /** Pages sent while the VM ran during the current epoch (they join its checkpoint). */
  early: Batch[];
  epochs: EpochStat[];
  pagesSentWhileRunning: number;
  nextRequest: number;
  trafficStartNs: Nanos;
  /** Responses the guest produced (its NIC's sequence number). */
  seq: number;
  /** Responses produced since the last epoch boundary (sch_plug's pkts_current_epoch as of the last look). */
  current: number[];
  held: HeldBatch[];
  released: number;
  releasedBatches: number;
  delaysUs: number[];
  responsesSeenByClients: number;
  responsesLostOnFailover: number;
  failNs: Nanos;
  detectNs: Nanos;
  failoverMs: number;
  lostAckedBytes: number;
  verifiedCheckpoints: number;
  mismatchedPages: number;
  verifiedFailover: boolean | null;
  note: string;
}

/** One protected VM: its backup's copy, the checkpoints in flight, the caches, the output buffer. */
export class CheckpointRun {
  readonly strategy: CheckpointStrategyName;
  readonly backup: GuestMemory;
  readonly backupDisk: GuestMemory | null;
  readonly device = new Uint8Array(DEVICE_BYTES);
  readonly backupDevice = new Uint8Array(DEVICE_BYTES);
  readonly reference: ReferenceTracker;
  /** The staging buffer: pages captured for a checkpoint, held until the backup applies it. */
  readonly staging = new PageStore();
  /** delta: Xen's LRU of sent pages; feedback: the bounded shadow copies of diff candidates. */
  readonly cache: LruPageCache | null;
  /** feedback: pages the backup said are worth sending as diffs. */
  readonly candidates: Bitmap;
  /** Pages sent while the VM ran in the current epoch. */
  readonly sentEarly: Bitmap;
  /** Pages the last committed checkpoint changed on the backup. */
  readonly lastApplied: Bitmap;
  /** Per page, whether it was dirtied in each of the last 8 epochs (bit 0: the newest). */
  readonly history: Uint8Array;
  /** For the details panel: the event after which each page last left the primary, and was applied on the backup. */
  readonly sentAt: Int32Array;
  readonly appliedAt: Int32Array;
  clock: { readonly eventIndex: number } = { eventIndex: 0 };
  s: CheckpointScalars;

  constructor(
    readonly index: number,
    readonly config: CheckpointConfig,
    readonly vm: VirtualMachine,
    readonly primary: string,
    readonly link: Link,
  ) {
    this.strategy = config.strategy;
    const pages = vm.memory.pages;
    this.backup = new GuestMemory(pages);
    this.backupDisk = vm.disk ? new GuestMemory(vm.disk.pages) : null;
    this.reference = new ReferenceTracker(vm);
    const cached = config.strategy === 'delta' || (config.strategy === 'feedback' && config.diffs);
    this.cache = cached ? new LruPageCache(config.cachePages, pages) : null;
    this.candidates = new Bitmap(pages);
    this.sentEarly = new Bitmap(pages);
    this.lastApplied = new Bitmap(pages);
    this.history = new Uint8Array(pages);
    this.sentAt = new Int32Array(pages).fill(-1);
    this.appliedAt = new Int32Array(pages).fill(-1);
    this.s = initialScalars();
  }

  get id(): string {
    return `checkpoint:${this.vm.id}`;
  }

  get pages(): number {
    return this.backup.pages;
  }

  get epochNs(): Nanos {
    return Math.round(this.config.epochMs * 1e6);
  }

  get protecting(): boolean {
    return this.s.status === 'protecting';
  }

  get over(): boolean {
    return this.s.status === 'failed-over' || this.s.status === 'stopped';
  }

  snapshot(keeper?: MemoryKeeper): CheckpointRunSnapshot {
    return {
      s: structuredClone(this.s),
      backup: this.backup.snapshot(keeper),
      backupDisk: this.backupDisk ? this.backupDisk.snapshot(keeper) : null,
      device: this.device.slice(),
      backupDevice: this.backupDevice.slice(),
      staging: this.staging.snapshot(keeper),
      reference: this.reference.snapshot(keeper),
      cache: this.cache ? this.cache.snapshot(keeper) : null,
      bitmaps: this.bitmaps().map((b) => b.words.slice()),
      history: this.history.slice(),
      sentAt: this.sentAt.slice(),
      appliedAt: this.appliedAt.slice(),
    };
  }

  restore(snap: CheckpointRunSnapshot, keeper?: MemoryKeeper): void {
    this.s = structuredClone(snap.s);
    this.backup.restore(snap.backup, keeper);
    if (this.backupDisk && snap.backupDisk) this.backupDisk.restore(snap.backupDisk, keeper);
    this.device.set(snap.device);
    this.backupDevice.set(snap.backupDevice);
    this.staging.restore(snap.staging, keeper);
    this.reference.restore(snap.reference, keeper);
    if (this.cache && snap.cache) this.cache.restore(snap.cache, keeper);
    for (const [i, b] of this.bitmaps().entries()) b.words.set(snap.bitmaps[i]);
    this.history.set(snap.history);
    this.sentAt.set(snap.sentAt);
    this.appliedAt.set(snap.appliedAt);
  }

  dispose(): void {
    this.backup.dispose();
    this.backupDisk?.dispose();
    this.reference.dispose();
    this.staging.dispose();
    this.cache?.memory.dispose();
  }

  private bitmaps(): Bitmap[] {
    return [this.candidates, this.sentEarly, this.lastApplied];
  }
}

export interface CheckpointRunSnapshot {
  s: CheckpointScalars;
  backup: MemorySnapshot;
  backupDisk: MemorySnapshot | null;
  device: Uint8Array;
  backupDevice: Uint8Array;
  staging: PageStoreSnapshot;
  reference: ReferenceSnapshot;
  cache: LruSnapshot | null;
  bitmaps: Uint32Array[];
  history: Uint8Array;
  sentAt: Int32Array;
  appliedAt: Int32Array;
}

function initialScalars(): CheckpointScalars {
  return {
    status: 'pending',
    startNs: -1,
    syncedNs: -1,
    syncArriveNs: -1,
    endNs: -1,
    epoch: 0,
    committed: -1,
    acked: -1,
    epochStartNs: -1,
    stunStartNs: -1,
    stunnedNs: 0,
    stunning: false,
    linkFreeNs: 0,
    backupFreeNs: 0,
    inFlight: [],
    early: [],
    epochs: [],
    pagesSentWhileRunning: 0,
    nextRequest: 0,
    trafficStartNs: -1,
    seq: 0,
    current: [],
    held: [],
    released: 0,
    releasedBatches: 0,
    delaysUs: [],
    responsesSeenByClients: 0,
    responsesLostOnFailover: 0,
    failNs: -1,
    detectNs: -1,
    failoverMs: 0,
    lostAckedBytes: 0,
    verifiedCheckpoints: 0,
    mismatchedPages: 0,
    verifiedFailover: null,
    note: '',
  };
}
