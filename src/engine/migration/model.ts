import { PageCache } from '../codec/pageCache';
import { Bitmap } from '../hw/bitmap';
import { GuestMemory, type MemoryKeeper, type MemorySnapshot } from '../hw/guestMemory';
import type { Link } from '../hw/link';
import { KiB, MiB, type Nanos } from '../kernel/clock';
import { Prng } from '../kernel/prng';
import type { VirtualMachine } from '../world/virtualMachine';
import type { MigrationConfig, MigrationStrategy as Strategy } from './schema';

/** QEMU's query-migrate status values that this model reaches. */
export type MigrationStatus =
  | 'pending'
  | 'setup'
  | 'active'
  | 'device'
  | 'postcopy-active'
  | 'completed'
  | 'cancelled'
  | 'failed'
  /** Not started: a mechanism refused it (a passthrough device: QEMU's "VFIO device doesn't support migration"). */
  | 'refused';

/**
 * Where a migration is in its life:
 * disk: local storage only, the virtual disk's bulk copy while the VM runs;
 * rounds: pre-copy passes while the VM runs on the source;
 * final: the VM is stopped and the rest is sent (stop-and-copy, pre-copy's last pass);
 * switchover: the VM is stopped, disk and device state go before it resumes remotely;
 * push: the VM runs on the destination and pages still missing are pushed or faulted in;
 * done: over, one way or another.
 */
export type Stage = 'waiting' | 'setup' | 'disk' | 'rounds' | 'final' | 'switchover' | 'push' | 'done';

export interface RoundStat {
  round: number;
  startMs: number;
  durationMs: number;
  pagesSent: number;
  bytesSent: number;
  /** Pages found dirty at the sync that ended the round (sent again in the next). */
  pagesDirtied: number;
  /** This pass ran with the VM stopped (it counts as downtime). */
  stopped: boolean;
  /** The post-copy push: pages sent after the VM resumed on the destination, faulted-in ones included. */
  push: boolean;
  /** syncPolicy qemu: pages queued right after the sync (the pass's unsent rest and the pages dirtied). */
  pagesQueued?: number;
  /** syncPolicy qemu: the threshold the sync was held against (QEMU's threshold_size). */
  thresholdBytes?: number;
}

export const ENCODING_ZERO = 0;
export const ENCODING_FULL = 1;
export const ENCODING_XBZRLE = 2;

/** Bytes on the wire per page record besides its payload. */
export const ZERO_PAGE_WIRE_BYTES = 1;
export const XBZRLE_HEADER_BYTES = 3;

/** A batch of pages (or disk blocks, or the device state) on the link, with its real bytes. */
export interface Chunk {
  id: number;
  kind: 'memory' | 'disk' | 'device';
  /** Sent because the destination faulted on its page (post-copy request). */
  fault: boolean;
  pages: Int32Array;
  encodings: Uint8Array;
  /** Payload bytes of each page within `data` (0 for a zero page). */
  lengths: Int32Array;
  /** Where each page's payload starts in `data`. */
  offsets: Int32Array;
  /**
   * 1 where a full page's bytes are still only in source memory: they are read at arrival,
   * unless the guest writes the page first, which copies them into `data` (copy-on-write).
   */
  deferred: Uint8Array;
  data: Uint8Array;
  wireBytes: number;
  sentNs: Nanos;
  arriveNs: Nanos;
}

/** Every number that changes during a run, in one plain object (cloned for snapshots). */
export interface RunScalars {
  status: MigrationStatus;
  stage: Stage;
  startNs: Nanos;
  /** When setup ended, the VM stopped on the source, it resumed on the destination: -1 until then. */
  setupEndNs: Nanos;
  stopNs: Nanos;
  resumeNs: Nanos;
  /** When a failure after resume left the VM running nowhere (-1: it did not). */
  strandedNs: Nanos;
  endNs: Nanos;
  downtimeNs: Nanos;
  senderBusy: boolean;
  /** Memory pages wait while disk blocks and device state go first (switchover). */
  holdMemory: boolean;
  deviceSent: boolean;
  cursor: number;
  diskCursor: number;
  nextChunkId: number;
  round: number;
  liveRounds: number;
  roundStartNs: Nanos;
  roundPages: number;
  roundBytes: number;
  rounds: RoundStat[];
  dirtySyncCount: number;
  /** syncPolicy qemu (strategies/qemuSync.ts): the loop's iteration and its bandwidth window of 100 ms. */
  iterationStartNs: Nanos;
  windowStartNs: Nanos;
  windowStartBytes: number;
  /** QEMU's threshold_size: bytes that fit in the downtime limit at the window's bandwidth. */
  thresholdBytes: number;
  transferredBytes: number;
  normalPages: number;
  duplicatePages: number;
  diskBlocksSent: number;
  lastBandwidth: number;
  lastDirtyRate: number;
  throttlePct: number;
  dirtyRateHighCount: number;
  xbzrleStarted: boolean;
  xbzrlePages: number;
  xbzrleBytes: number;
  xbzrleCacheMiss: number;
  xbzrleOverflow: number;
  postcopyRequests: number;
  postcopyStallNs: Nanos;
  waitingFault: number;
  faultStartNs: Nanos;
  wpFaults: number;
  verified: boolean | null;
  mismatchedPages: number;
  note: string;
  chunks: Chunk[];
}

/** One migration of one VM: configuration, the destination's copy and the transfer state. */
export class MigrationRun {
  readonly strategy: Strategy;
  readonly dest: GuestMemory;
  readonly destDisk: GuestMemory | null;
  readonly deviceState: Uint8Array;
  readonly destDeviceState: Uint8Array;
  /** Pages whose newest contents have arrived at the destination. */
  readonly present: Bitmap;
  /** Pages queued for the current pass. */
  readonly toSend: Bitmap;
  readonly toSendDisk: Bitmap;
  /** Pages that arrived because the destination faulted on them. */
  readonly faulted: Bitmap;
  /** Hybrid: pages written since they were last sent. */
  readonly modified: Bitmap;
  /** How often each page crossed the link (saturates at 255). */
  readonly sendCount: Uint8Array;
  /** The chunk that carries each page's newest copy. */
  readonly lastChunk: Int32Array;
  /** For the details panel: the event after which each page's newest copy left, and after which it arrived (-1: never). */
  readonly sentAt: Int32Array;
  readonly arrivedAt: Int32Array;
  /** The simulation's position, read when stamping `sentAt` and `arrivedAt`. */
  clock: { readonly eventIndex: number } = { eventIndex: 0 };
  readonly cache: PageCache | null;
  readonly localStorage: boolean;
  s: RunScalars;
  /** Chunk buffers handed back after arrival, reused so the stream does not allocate per chunk. */
  private readonly spareBuffers: ArrayBuffer[] = [];
  /** How many in-flight chunks still read each page from source memory at arrival. */
  private readonly deferredRefs: Uint16Array;

  constructor(
    readonly index: number,
    readonly config: MigrationConfig,
    readonly vm: VirtualMachine,
    readonly from: string,
    readonly link: Link,
    seed: number,
  ) {
    this.strategy = config.strategy;
    const pages = vm.memory.pages;
    this.dest = new GuestMemory(pages);
    this.localStorage = config.storage === 'local' && vm.disk !== null;
    this.destDisk = this.localStorage && vm.disk ? new GuestMemory(vm.disk.pages) : null;
    this.deviceState = new Uint8Array(config.deviceStateKiB * KiB);
    const prng = Prng.stream(seed, `vm:${vm.id}/devices`);
    for (let i = 0; i < this.deviceState.length; i++) this.deviceState[i] = prng.nextU32() & 0xff;
    this.destDeviceState = new Uint8Array(this.deviceState.length);
    this.present = new Bitmap(pages);
    this.toSend = new Bitmap(pages);
    this.toSendDisk = new Bitmap(vm.disk ? vm.disk.pages : 0);
    this.faulted = new Bitmap(pages);
    this.modified = new Bitmap(pages);
    this.sendCount = new Uint8Array(pages);
    this.lastChunk = new Int32Array(pages).fill(-1);
    this.sentAt = new Int32Array(pages).fill(-1);
    this.arrivedAt = new Int32Array(pages).fill(-1);
    this.deferredRefs = new Uint16Array(pages);
    this.cache = config.xbzrle && config.strategy === 'precopy' ? new PageCache(config.xbzrle.cacheMiB) : null;
    this.s = initialScalars();
  }

  get id(): string {
    return `migration:${this.vm.id}`;
  }

  get pages(): number {
    return this.dest.pages;
  }

  get memoryBytes(): number {
    return this.dest.byteLength;
  }

  /**
   * The cap on this migration's stream now: `bandwidthLimitMiBps` while the VM runs; none while
   * it is stopped for the switchover (QEMU's migration_completion lifts max-bandwidth), unless
   * `capSwitchover` keeps it there as version 1 scenarios did.
   */
  get capBytesPerSecond(): number | undefined {
    if (this.config.bandwidthLimitMiBps === undefined || this.capLifted) return undefined;
    return this.config.bandwidthLimitMiBps * MiB;
  }

  /** The VM is stopped for the switchover and its bandwidth limit is off meanwhile. */
  get capLifted(): boolean {
    const s = this.s;
    return (
      this.config.bandwidthLimitMiBps !== undefined && !this.config.capSwitchover && s.stopNs >= 0 && s.resumeNs < 0
    );
  }

  get terminal(): boolean {
    const s = this.s.status;
    return s === 'completed' || s === 'cancelled' || s === 'failed' || s === 'refused';
  }

  /** Post-copy and hybrid resume before every page has arrived: a missing page is fetched on demand. */
  get demandPaged(): boolean {
    return this.strategy === 'postcopy' || this.strategy === 'hybrid';
  }

  /** The VM was stopped on the source for the switchover (or, stop-and-copy, for the whole copy). */
  get stopped(): boolean {
    return this.s.stopNs >= 0;
  }

  /** The VM resumed on the destination: switchover is over, whatever happened after. */
  get resumed(): boolean {
    return this.s.resumeNs >= 0;
  }

  /** The VM runs on the destination (switchover is over). */
  get resumedRemotely(): boolean {
    return this.s.stage === 'push' || this.s.status === 'completed' || (this.s.status === 'failed' && this.resumed);
  }

  takeBuffer(bytes: number): Uint8Array {
    const spare = this.spareBuffers.pop();
    return spare && spare.byteLength >= bytes ? new Uint8Array(spare, 0, bytes) : new Uint8Array(bytes);
  }

  giveBackBuffer(data: Uint8Array): void {
    if (this.spareBuffers.length < 64) this.spareBuffers.push(data.buffer as ArrayBuffer);
  }

  /** Remember the chunk's deferred pages, so a guest write to one copies it into the chunk first. */
  trackDeferred(chunk: Chunk): void {
    for (let k = 0; k < chunk.pages.length; k++) if (chunk.deferred[k]) this.deferredRefs[chunk.pages[k]]++;
  }

  /** The guest is about to write `page`: every in-flight chunk still pointing at it takes its bytes now. */
  captureBeforeWrite(page: number): void {
    if (this.deferredRefs[page] === 0) return;
    const bytes = this.vm.memory.page(page);
    for (const chunk of this.s.chunks) {
      for (let k = 0; k < chunk.pages.length; k++) {
        if (chunk.pages[k] === page && chunk.deferred[k]) {
          chunk.data.set(bytes, chunk.offsets[k]);
          chunk.deferred[k] = 0;
        }
      }
    }
    this.deferredRefs[page] = 0;
  }

  /** The chunk arrived: its pages no longer need capturing for it. */
  forgetChunk(chunk: Chunk): void {
    for (let k = 0; k < chunk.pages.length; k++) if (chunk.deferred[k]) this.deferredRefs[chunk.pages[k]]--;
  }

  /** After a restore or when chunks are dropped: the counts follow `s.chunks`. */
  reindexDeferred(): void {
    this.deferredRefs.fill(0);
    for (const chunk of this.s.chunks) this.trackDeferred(chunk);
  }

  chunk(id: number): Chunk | undefined {
    return this.s.chunks.find((c) => c.id === id);
  }

  snapshot(keeper?: MemoryKeeper): RunSnapshot {
    return {
      s: structuredClone(this.s),
      bitmaps: this.bitmaps().map((b) => b.words.slice()),
      sendCount: this.sendCount.slice(),
      lastChunk: this.lastChunk.slice(),
      sentAt: this.sentAt.slice(),
      arrivedAt: this.arrivedAt.slice(),
      dest: this.dest.snapshot(keeper),
      destDisk: this.destDisk ? this.destDisk.snapshot(keeper) : null,
      destDeviceState: this.destDeviceState.slice(),
      cache: this.cache ? this.cache.snapshot(keeper) : null,
    };
  }

  restore(snap: RunSnapshot, keeper?: MemoryKeeper): void {
    this.s = structuredClone(snap.s);
    for (const [i, b] of this.bitmaps().entries()) b.words.set(snap.bitmaps[i]);
    this.sendCount.set(snap.sendCount);
    this.lastChunk.set(snap.lastChunk);
    this.sentAt.set(snap.sentAt);
    this.arrivedAt.set(snap.arrivedAt);
    this.dest.restore(snap.dest, keeper);
    if (this.destDisk && snap.destDisk) this.destDisk.restore(snap.destDisk, keeper);
    this.destDeviceState.set(snap.destDeviceState);
    if (this.cache && snap.cache) this.cache.restore(snap.cache, keeper);
    this.reindexDeferred();
  }

  private bitmaps(): Bitmap[] {
    return [this.present, this.toSend, this.toSendDisk, this.faulted, this.modified];
  }
}

export interface RunSnapshot {
  s: RunScalars;
  bitmaps: Uint32Array[];
  sendCount: Uint8Array;
  lastChunk: Int32Array;
  sentAt: Int32Array;
  arrivedAt: Int32Array;
  dest: MemorySnapshot;
  destDisk: MemorySnapshot | null;
  destDeviceState: Uint8Array;
  cache: ReturnType<PageCache['snapshot']> | null;
}

function initialScalars(): RunScalars {
  return {
    status: 'pending',
    stage: 'waiting',
    startNs: 0,
    setupEndNs: -1,
    stopNs: -1,
    resumeNs: -1,
    strandedNs: -1,
    endNs: 0,
    downtimeNs: 0,
    senderBusy: false,
    holdMemory: false,
    deviceSent: false,
    cursor: 0,
    diskCursor: 0,
    nextChunkId: 0,
    round: -1,
    liveRounds: 0,
    roundStartNs: 0,
    roundPages: 0,
    roundBytes: 0,
    rounds: [],
    dirtySyncCount: 0,
    iterationStartNs: 0,
    windowStartNs: 0,
    windowStartBytes: 0,
    thresholdBytes: 0,
    transferredBytes: 0,
    normalPages: 0,
    duplicatePages: 0,
    diskBlocksSent: 0,
    lastBandwidth: 0,
    lastDirtyRate: 0,
    throttlePct: 0,
    dirtyRateHighCount: 0,
    xbzrleStarted: false,
    xbzrlePages: 0,
    xbzrleBytes: 0,
    xbzrleCacheMiss: 0,
    xbzrleOverflow: 0,
    postcopyRequests: 0,
    postcopyStallNs: 0,
    waitingFault: -1,
    faultStartNs: 0,
    wpFaults: 0,
    verified: null,
    mismatchedPages: 0,
    note: '',
    chunks: [],
  };
}
