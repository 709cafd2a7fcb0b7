import { XEN_MAX_RUN_WORDS, xenDecodePage } from '../codec/xenDelta';
import { PAGE_WORDS } from '../hw/guestMemory';
import { type Batch, type CheckpointRun, FULL } from './model';
import { SMALL_DIFF_BYTES } from './strategies/feedback';

/**
 * The backup applies one batch to its copy (the second buffer): whole pages are copied, Xen
 * delta records decoded against the copy it holds. With `feedback`, it also notes for each page
 * whether its change was small (a diff candidate for next time), comparing with what it held.
 */
export function applyBatch(run: CheckpointRun, batch: Batch, feedback: Map<number, boolean> | null): void {
  const { backup, staging } = run;
  const wire = batch.wire;
  let pos = 0;
  for (let k = 0; k < batch.pages.length; k++) {
    const p = batch.pages[k];
    if (batch.kinds[k] === FULL) {
      const bytes = staging.page(batch.slots[k]);
      if (feedback) feedback.set(p, deltaIsSmall(backup.pageWords(p), bytes));
      backup.installPage(p, bytes);
    } else {
      const before = pos;
      pos = xenDecodePage(wire, pos, wire.length, backup.mutablePage(p));
      if (feedback) feedback.set(p, pos - before < SMALL_DIFF_BYTES);
    }
    run.lastApplied.set(p);
    run.appliedAt[p] = run.clock.eventIndex;
  }
  if (pos !== wire.length) throw new Error('Xen delta: records left over after the last page');
  if (run.backupDisk)
    for (let k = 0; k < batch.blocks.length; k++)
      run.backupDisk.installPage(batch.blocks[k], staging.page(batch.blockSlots[k]));
  if (batch.device) run.backupDevice.set(batch.device);
}

/**
 * Whether the change from `old` to `next` would cost under SMALL_DIFF_BYTES as a Xen delta
 * (codec/xenDelta.ts: a one-byte header per run of at most 127 equal or changed words, and
 * the changed words), counted without encoding and given up once it reaches that.
 */
export function deltaIsSmall(old: Uint32Array, next: Uint8Array): boolean {
  const now = new Uint32Array(next.buffer, next.byteOffset, PAGE_WORDS);
  let len = 0;
  let off = 0;
  while (off < PAGE_WORDS) {
    const limit = Math.min(PAGE_WORDS, off + XEN_MAX_RUN_WORDS);
    const start = off;
    if (old[off] === now[off]) {
      while (off < limit && old[off] === now[off]) off++;
      len++;
    } else {
      while (off < limit && old[off] !== now[off]) off++;
      len += 1 + 4 * (off - start);
      if (len >= SMALL_DIFF_BYTES) return false;
    }
  }
  return len < SMALL_DIFF_BYTES;
}
