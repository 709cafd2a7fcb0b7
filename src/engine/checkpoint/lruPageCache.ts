import { GuestMemory, type MemoryKeeper, type MemorySnapshot } from '../hw/guestMemory';

/**
 * An LRU cache of page copies with real bytes, as Xen's checkpoint compression keeps it
 * [xc_compression.c get_cache_page]: a hit moves the page to the head, a miss takes the
 * tail's slot. Also the bounded shadow cache of the feedback strategy. The list is kept in
 * Int32Arrays so a snapshot is a few copies.
 */
export class LruPageCache {
  readonly memory: GuestMemory;
  /** Slot of each guest page, or -1. */
  private readonly slotOf: Int32Array;
  /** Guest page in each slot, or -1. */
  private readonly pageIn: Int32Array;
  private readonly prev: Int32Array;
  private readonly next: Int32Array;
  private head = 0;
  private tail = 0;

  constructor(
    readonly slots: number,
    guestPages: number,
  ) {
    this.memory = new GuestMemory(slots);
    this.slotOf = new Int32Array(guestPages).fill(-1);
    this.pageIn = new Int32Array(slots).fill(-1);
    this.prev = new Int32Array(slots);
    this.next = new Int32Array(slots);
    for (let i = 0; i < slots; i++) {
      this.prev[i] = i - 1;
      this.next[i] = i + 1 < slots ? i + 1 : -1;
    }
    this.tail = slots - 1;
  }

  has(page: number): boolean {
    return this.slotOf[page] >= 0;
  }

  /** The cached copy of `page` (moved to the head), or undefined. The copy may be changed in place. */
  hit(page: number): Uint8Array | undefined {
    const slot = this.slotOf[page];
    if (slot < 0) return undefined;
    this.toHead(slot);
    return this.memory.mutablePage(slot);
  }

  /** Cache `bytes` as `page`, evicting the least recently used page if need be. */
  insert(page: number, bytes: Uint8Array): void {
    let slot = this.slotOf[page];
    if (slot < 0) {
      slot = this.tail;
      const evicted = this.pageIn[slot];
      if (evicted >= 0) this.slotOf[evicted] = -1;
      this.pageIn[slot] = page;
      this.slotOf[page] = slot;
    }
    this.toHead(slot);
    this.memory.installPage(slot, bytes);
  }

  /** Pages cached now. */
  get size(): number {
    let n = 0;
    for (let i = 0; i < this.slots; i++) if (this.pageIn[i] >= 0) n++;
    return n;
  }

  private toHead(slot: number): void {
    if (slot === this.head) return;
    const p = this.prev[slot];
    const n = this.next[slot];
    if (p >= 0) this.next[p] = n;
    if (n >= 0) this.prev[n] = p;
    if (slot === this.tail) this.tail = p;
    this.prev[slot] = -1;
    this.next[slot] = this.head;
    this.prev[this.head] = slot;
    this.head = slot;
  }

  snapshot(keeper?: MemoryKeeper): LruSnapshot {
    return {
      memory: this.memory.snapshot(keeper),
      slotOf: this.slotOf.slice(),
      pageIn: this.pageIn.slice(),
      prev: this.prev.slice(),
      next: this.next.slice(),
      head: this.head,
      tail: this.tail,
    };
  }

  restore(s: LruSnapshot, keeper?: MemoryKeeper): void {
    this.memory.restore(s.memory, keeper);
    this.slotOf.set(s.slotOf);
    this.pageIn.set(s.pageIn);
    this.prev.set(s.prev);
    this.next.set(s.next);
    this.head = s.head;
    this.tail = s.tail;
  }
}

export interface LruSnapshot {
  memory: MemorySnapshot;
  slotOf: Int32Array;
  pageIn: Int32Array;
  prev: Int32Array;
  next: Int32Array;
  head: number;
  tail: number;
}
