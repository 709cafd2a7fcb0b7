/**
 * A large block device that holds real bytes only for blocks that were written: a block
 * never written (or punched) is a hole and reads as zeros, so a 16 GiB pool costs what is used.
 *
 * Snapshots are copy-on-write: a snapshot shares the block buffers it saw, and the first
 * write to a shared buffer afterwards copies it. Shared buffers are kept in `versions` by id,
 * and a snapshot is only the table of ids (plain numbers, so keyframes can pack it), not a copy
 * of the store. `versions` keeps every version a snapshot ever shared (`retainedBytes`).
 */
export class SparseBlockStore {
  private blocks: (Uint8Array | undefined)[];
  /** 1 where the block's buffer is referenced by a snapshot and must be copied before a write. */
  private shared: Uint8Array;
  /** Version id of each block's buffer once shared (0: a hole or not shared yet). */
  private ids: Int32Array;
  private readonly versions = new Map<number, Uint8Array>();
  private nextId = 1;

  constructor(
    readonly blockBytes: number,
    blockCount: number,
  ) {
    if (blockBytes % 4 !== 0) throw new Error('block size must be a multiple of 4 bytes');
    this.blocks = new Array(blockCount).fill(undefined);
    this.shared = new Uint8Array(blockCount);
    this.ids = new Int32Array(blockCount);
  }

  /** Bytes of buffer versions kept for snapshots. */
  get retainedBytes(): number {
    return this.versions.size * this.blockBytes;
  }

  get blockCount(): number {
    return this.blocks.length;
  }

  /** Add blocks at the end (a grown pool); they are holes. */
  grow(blockCount: number): void {
    if (blockCount <= this.blocks.length) return;
    const shared = new Uint8Array(blockCount);
    shared.set(this.shared);
    this.shared = shared;
    const ids = new Int32Array(blockCount);
    ids.set(this.ids);
    this.ids = ids;
    while (this.blocks.length < blockCount) this.blocks.push(undefined);
  }

  holds(block: number): boolean {
    return this.blocks[block] !== undefined;
  }

  /** Bytes held in memory now (blocks with contents). */
  get bytesHeld(): number {
    let n = 0;
    for (const b of this.blocks) if (b) n += this.blockBytes;
    return n;
  }

  /** Copy `src` into the block at byte `offset`. */
  write(block: number, offset: number, src: Uint8Array): void {
    this.writable(block).set(src, offset);
  }

  /** Copy `length` bytes of the block from `offset` into `dest` at `destOffset` (zeros for a hole). */
  read(block: number, offset: number, length: number, dest: Uint8Array, destOffset = 0): void {
    const b = this.blocks[block];
    if (b) dest.set(b.subarray(offset, offset + length), destOffset);
    else dest.fill(0, destOffset, destOffset + length);
  }

  /** Zero the whole block: punch it out (it reads as zeros and holds no memory). */
  zeroBlock(block: number): void {
    this.blocks[block] = undefined;
    this.shared[block] = 0;
    this.ids[block] = 0;
  }

  /** Zero part of a block. */
  zeroRange(block: number, offset: number, length: number): void {
    if (!this.blocks[block]) return;
    if (offset === 0 && length === this.blockBytes) this.zeroBlock(block);
    else this.writable(block).fill(0, offset, offset + length);
  }

  snapshot(): SparseStoreSnapshot {
    for (let i = 0; i < this.blocks.length; i++) {
      const b = this.blocks[i];
      if (b && !this.shared[i]) {
        this.shared[i] = 1;
        this.ids[i] = this.nextId++;
        this.versions.set(this.ids[i], b);
      }
    }
    return { ids: this.ids.slice() };
  }

  restore(snap: SparseStoreSnapshot): void {
    this.grow(snap.ids.length);
    for (let i = 0; i < this.blocks.length; i++) {
      const id = snap.ids[i] ?? 0;
      const b = id > 0 ? this.versions.get(id) : undefined;
      if (id > 0 && !b) throw new Error(`block ${i}: version ${id} is not kept`);
      this.blocks[i] = b;
      this.shared[i] = id > 0 ? 1 : 0;
      this.ids[i] = id;
    }
  }

  private writable(block: number): Uint8Array {
    let b = this.blocks[block];
    if (!b) {
      b = new Uint8Array(this.blockBytes);
      this.blocks[block] = b;
    } else if (this.shared[block]) {
      b = b.slice();
      this.blocks[block] = b;
    }
    this.shared[block] = 0;
    this.ids[block] = 0;
    return b;
  }
}

export interface SparseStoreSnapshot {
  /** Each block's version id (0: a hole). */
  readonly ids: Int32Array;
}
