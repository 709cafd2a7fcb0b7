import { PAGE_SIZE } from '../hw/guestMemory';
import { MiB } from '../kernel/clock';

/** A direct-mapped cache of page contents (QEMU's XBZRLE page cache), real bytes. */
export class PageCache {
  readonly slots: number;
  readonly tags: Int32Array;
  readonly data: Uint8Array;

  constructor(cacheMiB: number) {
    this.slots = (cacheMiB * MiB) / PAGE_SIZE;
    this.tags = new Int32Array(this.slots).fill(-1);
    this.data = new Uint8Array(this.slots * PAGE_SIZE);
  }

  /** The cached copy of `page`, or undefined on a miss. */
  lookup(page: number): Uint8Array | undefined {
    const slot = page % this.slots;
    return this.tags[slot] === page ? this.slotBytes(slot) : undefined;
  }

  /** Store `bytes` as the cached copy of `page`, evicting whatever held its slot. */
  insert(page: number, bytes: Uint8Array): void {
    const slot = page % this.slots;
    this.tags[slot] = page;
    this.data.set(bytes, slot * PAGE_SIZE);
  }

  private slotBytes(slot: number): Uint8Array {
    return this.data.subarray(slot * PAGE_SIZE, (slot + 1) * PAGE_SIZE);
  }

  snapshot(): { tags: Int32Array; data: Uint8Array } {
    return { tags: this.tags.slice(), data: this.data.slice() };
  }

  restore(s: { tags: Int32Array; data: Uint8Array }): void {
    this.tags.set(s.tags);
    this.data.set(s.data);
  }
}
