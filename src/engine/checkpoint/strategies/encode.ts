import { XEN_FULL_PAGE_BYTES, XEN_WORST_DELTA_BYTES, xenEncodeDelta } from '../../codec/xenDelta';
import { PAGE_SIZE } from '../../hw/guestMemory';
import { type Batch, DELTA, DEVICE_BYTES, FULL, PFN_BYTES } from '../model';
import type { PageStore } from '../pageStore';

/** Reused between batches: the worst case of a whole batch of Xen records. */
let scratch = new Uint8Array(0);

/** Pages go as their whole bytes (Remus without compression): the staging buffer is the payload. */
export function encodeRaw(batch: Batch): void {
  batch.kinds.fill(FULL);
  batch.wire = new Uint8Array(0);
  batch.fullBytes = batch.pages.length * (PAGE_SIZE + PFN_BYTES);
  batch.diffBytes = 0;
  batch.wireBytes = batch.fullBytes + extraBytes(batch);
}

/**
 * Pages as Xen records: `base(page)` is the copy the backup holds, if the primary has one
 * (it is brought up to date by the encoder); otherwise the whole page goes and `sentFull` is told.
 * Only the delta records are written out: a full record is its captured bytes, which stay in `staging`.
 */
export function encodeXen(
  batch: Batch,
  staging: PageStore,
  base: (page: number) => Uint8Array | undefined,
  sentFull: (page: number, bytes: Uint8Array) => void,
): void {
  const n = batch.pages.length;
  if (scratch.length < n * XEN_WORST_DELTA_BYTES) scratch = new Uint8Array(n * XEN_WORST_DELTA_BYTES);
  let pos = 0;
  let full = 0;
  let diff = 0;
  for (let k = 0; k < n; k++) {
    const p = batch.pages[k];
    const bytes = staging.page(batch.slots[k]);
    const cached = base(p);
    if (cached) {
      const len = xenEncodeDelta(cached, bytes, scratch, pos);
      pos += len;
      diff += len + PFN_BYTES;
      batch.kinds[k] = DELTA;
    } else {
      full += XEN_FULL_PAGE_BYTES + PFN_BYTES;
      batch.kinds[k] = FULL;
      sentFull(p, bytes);
    }
  }
  batch.wire = scratch.slice(0, pos);
  batch.fullBytes = full;
  batch.diffBytes = diff;
  batch.wireBytes = full + diff + extraBytes(batch);
}

/** Disk blocks (whole, as Remus mirrors writes) and the device state. */
function extraBytes(batch: Batch): number {
  return batch.blocks.length * (PAGE_SIZE + PFN_BYTES) + (batch.device ? DEVICE_BYTES : 0);
}
