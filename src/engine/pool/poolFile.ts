import { SparseBlockStore, type SparseStoreSnapshot } from '../hw/sparseBlockStore';
import { KiB } from '../kernel/clock';

/** The guest's block size: reads, writes and discards are whole 4 KiB sectors. */
export const SECTOR_BYTES = 4 * KiB;

export const ExtentState = { free: 0, zeroing: 1, allocated: 2, discarding: 3 } as const;
export type ExtentStateId = (typeof ExtentState)[keyof typeof ExtentState];

export interface PoolFileSnapshot {
  capacity: number;
  owner: Int16Array;
  state: Uint8Array;
  logicalOf: Int32Array;
  written: Uint32Array;
  free: Int32Array;
  freeTop: number;
  store: SparseStoreSnapshot;
}

/**
 * The one pool file on the shared datastore: extents with real bytes (a sparse store), who
 * owns each, its state, which of its sectors were written since it was allocated, and the free
 * list. Freeing an extent leaves its bytes where they are, as on a real disk: a reused extent
 * is kept from showing them by zeroing it on allocation or by its written-sector mask.
 */
export class PoolFile {
  readonly extentBytes: number;
  readonly sectorsPerExtent: number;
  /** Extents usable now (grows live). */
  capacity: number;
  readonly store: SparseBlockStore;
  /** Index of the owning disk, -1 when free. */
  owner: Int16Array;
  state: Uint8Array;
  /** The logical extent of its disk an owned extent backs. */
  logicalOf: Int32Array;
  /** One bit per sector: written since the extent was allocated (and not discarded). */
  written: Uint32Array;
  /** Free extents as a stack: the most recently freed is reused first. */
  private free: Int32Array;
  private freeTop = 0;

  constructor(
    extentKiB: number,
    capacityExtents: number,
    readonly maxExtents: number,
    readonly zeroOnAllocate: boolean,
  ) {
    this.extentBytes = extentKiB * KiB;
    this.sectorsPerExtent = this.extentBytes / SECTOR_BYTES;
    this.capacity = 0;
    this.store = new SparseBlockStore(this.extentBytes, maxExtents);
    this.owner = new Int16Array(maxExtents).fill(-1);
    this.state = new Uint8Array(maxExtents);
    this.logicalOf = new Int32Array(maxExtents).fill(-1);
    this.written = new Uint32Array(Math.ceil((maxExtents * this.sectorsPerExtent) / 32));
    this.free = new Int32Array(maxExtents);
    this.grow(capacityExtents);
  }

  get freeExtents(): number {
    return this.freeTop;
  }

  get usedExtents(): number {
    return this.capacity - this.freeTop;
  }

  /** Make extents up to `capacityExtents` usable; the lowest new extent is handed out first. */
  grow(capacityExtents: number): void {
    const target = Math.min(capacityExtents, this.maxExtents);
    for (let e = target - 1; e >= this.capacity; e--) this.free[this.freeTop++] = e;
    this.capacity = Math.max(this.capacity, target);
  }

  /** Take a free extent for disk `owner`; it is zeroed (or its mask cleared) for its new owner. -1 when full. */
  reserve(owner: number): number {
    if (this.freeTop === 0) return -1;
    const e = this.free[--this.freeTop];
    this.owner[e] = owner;
    this.state[e] = ExtentState.zeroing;
    if (this.zeroOnAllocate) this.store.zeroBlock(e);
    this.clearWritten(e, 0, this.sectorsPerExtent);
    return e;
  }

  /** The extent now backs logical extent `logical` of its owner's disk. */
  activate(e: number, logical: number): void {
    this.state[e] = ExtentState.allocated;
    this.logicalOf[e] = logical;
  }

  /** Return an extent to the free list. Throws if it is free already: each is freed exactly once. */
  release(e: number): void {
    if (this.state[e] === ExtentState.free) throw new Error(`extent ${e} freed twice`);
    this.state[e] = ExtentState.free;
    this.owner[e] = -1;
    this.logicalOf[e] = -1;
    this.free[this.freeTop++] = e;
  }

  /** The free list as it is (for tests: every free extent exactly once). */
  freeList(): Int32Array {
    return this.free.slice(0, this.freeTop);
  }

  isWritten(e: number, sector: number): boolean {
    const bit = e * this.sectorsPerExtent + sector;
    return (this.written[bit >>> 5] & (1 << (bit & 31))) !== 0;
  }

  setWritten(e: number, from: number, count: number): void {
    const base = e * this.sectorsPerExtent;
    for (let s = from; s < from + count; s++) this.written[(base + s) >>> 5] |= 1 << ((base + s) & 31);
  }

  clearWritten(e: number, from: number, count: number): void {
    const base = e * this.sectorsPerExtent;
    for (let s = from; s < from + count; s++) this.written[(base + s) >>> 5] &= ~(1 << ((base + s) & 31));
  }

  /** No sector of the extent holds data of its owner any more. */
  isEmpty(e: number): boolean {
    for (let s = 0; s < this.sectorsPerExtent; s++) if (this.isWritten(e, s)) return false;
    return true;
  }

  snapshot(): PoolFileSnapshot {
    return {
      capacity: this.capacity,
      owner: this.owner.slice(),
      state: this.state.slice(),
      logicalOf: this.logicalOf.slice(),
      written: this.written.slice(),
      free: this.free.slice(0, this.freeTop),
      freeTop: this.freeTop,
      store: this.store.snapshot(),
    };
  }

  restore(s: PoolFileSnapshot): void {
    this.capacity = s.capacity;
    this.owner.set(s.owner);
    this.state.set(s.state);
    this.logicalOf.set(s.logicalOf);
    this.written.set(s.written);
    this.free.set(s.free);
    this.freeTop = s.freeTop;
    this.store.restore(s.store);
  }
}
