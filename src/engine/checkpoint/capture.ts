import type { Bitmap } from '../hw/bitmap';
import type { GuestMemory } from '../hw/guestMemory';
import type { Batch } from './model';
import type { PageStore } from './pageStore';

/** The pages set in `bits`, in order. */
export function setPages(bits: Bitmap, size: number): Int32Array {
  const out = new Int32Array(bits.count());
  let k = 0;
  for (let p = bits.scan(0, size); p >= 0; p = bits.scan(p + 1, size)) out[k++] = p;
  return out;
}

/** A batch of `pages` of `memory` captured into the staging buffer `staging`, not yet encoded. */
export function newBatch(early: boolean, memory: GuestMemory, pages: Int32Array, staging: PageStore): Batch {
  return {
    early,
    pages,
    kinds: new Uint8Array(pages.length),
    slots: staging.copyPages(memory, pages),
    wire: new Uint8Array(0),
    blocks: new Int32Array(0),
    blockSlots: new Int32Array(0),
    device: null,
    wireBytes: 0,
    fullBytes: 0,
    diffBytes: 0,
  };
}
