import { XEN_WORST_DELTA_BYTES, xenDecodePage, xenEncodeDelta } from '../codec/xenDelta';
import { PAGE_SIZE } from '../hw/guestMemory';
import { type Batch, type CheckpointRun, FULL } from './model';
import { SMALL_DIFF_BYTES } from './strategies/feedback';

const scratchPage = new Uint8Array(PAGE_SIZE);
const scratchOut = new Uint8Array(XEN_WORST_DELTA_BYTES);

/**
 * The backup applies one batch to its copy (the second buffer): raw pages are copied, Xen
 * records decoded against the copy it holds. With `feedback`, it also notes for each page
 * whether its change was small (a diff candidate for next time), comparing with what it held.
 */
export function applyBatch(run: CheckpointRun, batch: Batch, feedback: Map<number, boolean> | null): number {
  const backup = run.backup;
  const raw = batch.wire.length === 0;
  let pos = 0;
  let bytes = 0;
  for (let k = 0; k < batch.pages.length; k++) {
    const p = batch.pages[k];
    const before = pos;
    if (feedback && batch.kinds[k] === FULL)
      feedback.set(p, changeBytes(backup.page(p), pageOf(batch, k)) < SMALL_DIFF_BYTES);
    if (raw) backup.installPage(p, pageOf(batch, k));
    else pos = xenDecodePage(batch.wire, pos, batch.wire.length, backup.mutablePage(p));
    if (feedback && batch.kinds[k] !== FULL) feedback.set(p, pos - before < SMALL_DIFF_BYTES);
    run.lastApplied.set(p);
    run.appliedAt[p] = run.clock.eventIndex;
    bytes += raw ? PAGE_SIZE : pos - before;
  }
  if (!raw && pos !== batch.wire.length) throw new Error('Xen delta: records left over after the last page');
  if (run.backupDisk)
    for (let k = 0; k < batch.blocks.length; k++)
      run.backupDisk.installPage(batch.blocks[k], batch.blockRaw.subarray(k * PAGE_SIZE, (k + 1) * PAGE_SIZE));
  if (batch.device) run.backupDevice.set(batch.device);
  return bytes;
}

function pageOf(batch: Batch, k: number): Uint8Array {
  return batch.raw.subarray(k * PAGE_SIZE, (k + 1) * PAGE_SIZE);
}

/** What the change from `old` to `next` would cost as a Xen delta. */
function changeBytes(old: Uint8Array, next: Uint8Array): number {
  scratchPage.set(old);
  return xenEncodeDelta(scratchPage, next, scratchOut, 0);
}
