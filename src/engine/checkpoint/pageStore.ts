import { GuestMemory, type MemoryKeeper, type MemorySnapshot, PAGE_SIZE } from '../hw/guestMemory';

/** A store grows by this many pages (4 MiB) at a time. */
const SEGMENT_PAGES = 1024;

export interface PageStoreSnapshot {
  segments: MemorySnapshot[];
  /** The free slots, the next to be taken last. */
  free: Int32Array;
}

/**
 * Page copies that live a while (a checkpoint's staging buffer until the backup applies it,
 * the reference's stun images), held in slots of GuestMemory segments rather than in arrays
 * of their own: a keyframe saves the segments through the MemoryKeeper, so a slot written
 * since the last keyframe costs its page delta and the others nothing, and a restore rewrites
 * only the slots that differ. Segments are never given back while the run lives (a restore to
 * a time with fewer of them keeps the rest, unused, for the replay to take again).
 */
export class PageStore {
  private readonly segments: GuestMemory[] = [];
  /** Segments the free list covers (those past it are left from a later time a restore went back from). */
  private used = 0;
  private free = new Int32Array(0);
  private freeCount = 0;

  /** A copy of `page` of `memory` in a free slot; returns the slot. */
  copyPage(memory: GuestMemory, page: number): number {
    return this.copyBytes(memory.page(page));
  }

  /** A copy of one page's bytes in a free slot; returns the slot. */
  copyBytes(bytes: Uint8Array): number {
    if (this.freeCount === 0) this.grow();
    const slot = this.free[--this.freeCount];
    this.segments[(slot / SEGMENT_PAGES) | 0].installPage(slot % SEGMENT_PAGES, bytes);
    return slot;
  }

  /** Copies of `pages` of `memory`, one slot each, in order. */
  copyPages(memory: GuestMemory, pages: Int32Array): Int32Array {
    const slots = new Int32Array(pages.length);
    for (let k = 0; k < pages.length; k++) slots[k] = this.copyPage(memory, pages[k]);
    return slots;
  }

  page(slot: number): Uint8Array {
    return this.segments[(slot / SEGMENT_PAGES) | 0].page(slot % SEGMENT_PAGES);
  }

  release(slots: Int32Array): void {
    for (let k = slots.length - 1; k >= 0; k--) this.free[this.freeCount++] = slots[k];
  }

  /** Slots in use now. */
  get held(): number {
    return this.used * SEGMENT_PAGES - this.freeCount;
  }

  get byteLength(): number {
    return this.segments.length * SEGMENT_PAGES * PAGE_SIZE;
  }

  private grow(): void {
    if (this.segments.length === this.used) this.segments.push(new GuestMemory(SEGMENT_PAGES));
    const first = this.used * SEGMENT_PAGES;
    this.used++;
    const free = new Int32Array(this.used * SEGMENT_PAGES);
    free.set(this.free.subarray(0, this.freeCount));
    // Highest first on the stack, so slots are taken in increasing order.
    for (let s = first + SEGMENT_PAGES - 1; s >= first; s--) free[this.freeCount++] = s;
    this.free = free;
  }

  snapshot(keeper?: MemoryKeeper): PageStoreSnapshot {
    return {
      segments: this.segments.slice(0, this.used).map((m) => m.snapshot(keeper)),
      free: this.free.slice(0, this.freeCount),
    };
  }

  restore(s: PageStoreSnapshot, keeper?: MemoryKeeper): void {
    while (this.segments.length < s.segments.length) this.segments.push(new GuestMemory(SEGMENT_PAGES));
    s.segments.forEach((m, i) => {
      this.segments[i].restore(m, keeper);
    });
    this.used = s.segments.length;
    this.free = new Int32Array(this.used * SEGMENT_PAGES);
    this.free.set(s.free);
    this.freeCount = s.free.length;
  }

  dispose(): void {
    for (const m of this.segments) m.dispose();
  }
}
