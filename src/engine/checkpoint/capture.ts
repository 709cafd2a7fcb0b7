import type { Bitmap } from '../hw/bitmap';
import { type GuestMemory, PAGE_SIZE } from '../hw/guestMemory';
import type { Batch } from './model';

/** The pages set in `bits`, in order. */
export function setPages(bits: Bitmap, size: number): Int32Array {
  const out = new Int32Array(bits.count());
  let k = 0;
  for (let p = bits.scan(0, size); p >= 0; p = bits.scan(p + 1, size)) out[k++] = p;
  return out;
}

/** Copy `pages` of `memory` into a staging buffer (one TypedArray.set a page). */
export function stage(memory: GuestMemory, pages: Int32Array): Uint8Array {
  const raw = new Uint8Array(pages.length * PAGE_SIZE);
  for (let k = 0; k < pages.length; k++) raw.set(memory.page(pages[k]), k * PAGE_SIZE);
  return raw;
}

/** A batch of captured pages, not yet encoded. */
export function newBatch(early: boolean, memory: GuestMemory, pages: Int32Array): Batch {
  return {
    early,
    pages,
    kinds: new Uint8Array(pages.length),
    raw: stage(memory, pages),
    wire: new Uint8Array(0),
    blocks: new Int32Array(0),
    blockRaw: new Uint8Array(0),
    device: null,
    wireBytes: 0,
    fullBytes: 0,
    diffBytes: 0,
  };
}
