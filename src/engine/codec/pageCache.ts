import { GuestMemory, type MemoryKeeper, type MemorySnapshot, PAGE_SIZE } from '../hw/guestMemory';
import { MiB } from '../kernel/clock';

/** A direct-mapped cache of page contents (QEMU's XBZRLE page cache), real bytes. */
export class PageCache {
  readonly slots: number;
  readonly tags: Int32Array;
  /** Slot i holds the cached copy of page tags[i]; a GuestMemory so keyframes store it as deltas. */
  readonly memory: GuestMemory;

  constructor(cacheMiB: number) {
    this.slots = (cacheMiB * MiB) / PAGE_SIZE;
    this.tags = new Int32Array(this.slots).fill(-1);
    this.memory = new GuestMemory(this.slots);
  }

  /** The cached copy of `page`, or undefined on a miss. */
  lookup(page: number): Uint8Array | undefined {
    const slot = page % this.slots;
    return this.tags[slot] === page ? this.memory.page(slot) : undefined;
  }

  /** Store `bytes` as the cached copy of `page`, evicting whatever held its slot. */
  insert(page: number, bytes: Uint8Array): void {
    const slot = page % this.slots;
    this.tags[slot] = page;
    this.memory.installPage(slot, bytes);
  }

  snapshot(keeper?: MemoryKeeper): { tags: Int32Array; memory: MemorySnapshot } {
    return { tags: this.tags.slice(), memory: this.memory.snapshot(keeper) };
  }

  restore(s: { tags: Int32Array; memory: MemorySnapshot }, keeper?: MemoryKeeper): void {
    this.tags.set(s.tags);
    this.memory.restore(s.memory, keeper);
  }
}
