import { Bitmap } from '../hw/bitmap';
import { GuestMemory, type MemoryKeeper, type MemorySnapshot } from '../hw/guestMemory';
import type { VirtualMachine } from '../world/virtualMachine';
import { PageStore, type PageStoreSnapshot } from './pageStore';

/** The primary's pages as they were at one stun, taken from its memory, not from the checkpoint: slots of `imageStore`. */
interface StunImage {
  epoch: number;
  pages: Int32Array;
  slots: Int32Array;
  blocks: Int32Array;
  blockSlots: Int32Array;
}

export interface ReferenceSnapshot {
  memory: MemorySnapshot;
  disk: MemorySnapshot | null;
  written: Uint32Array;
  writtenDisk: Uint32Array;
  pending: Uint32Array;
  pendingDisk: Uint32Array;
  images: StunImage[];
  imageStore: PageStoreSnapshot;
  epoch: number;
  tracking: boolean;
}

/**
 * What the backup must hold, kept apart from the checkpointing code it checks: every guest
 * write is seen here (the VM's write path is wrapped), and at each stun the pages written
 * since the last one are copied straight from the primary's memory. When the backup commits
 * checkpoint e, the images up to e are applied to `memory`, which is then the primary as of
 * stun e, and the backup is compared with it byte for byte.
 */
export class ReferenceTracker {
  readonly memory: GuestMemory;
  readonly disk: GuestMemory | null;
  private readonly written: Bitmap;
  private readonly writtenDisk: Bitmap;
  private images: StunImage[] = [];
  /** Its own page store, apart from the checkpoint's staging buffer it checks. */
  private readonly imageStore = new PageStore();
  /** Pages either side changed since the last check: the only ones that can have come apart since. */
  private readonly pending: Bitmap;
  private readonly pendingDisk: Bitmap;
  /** The checkpoint `memory` stands for (0: the initial full copy). */
  epoch = -1;
  tracking = false;

  constructor(private readonly vm: VirtualMachine) {
    this.memory = new GuestMemory(vm.memory.pages);
    this.disk = vm.disk ? new GuestMemory(vm.disk.pages) : null;
    this.written = new Bitmap(vm.memory.pages);
    this.writtenDisk = new Bitmap(vm.disk ? vm.disk.pages : 0);
    this.pending = new Bitmap(vm.memory.pages);
    this.pendingDisk = new Bitmap(vm.disk ? vm.disk.pages : 0);
    const memSink = vm.memSink;
    vm.memSink = {
      touch: (page, word, data) => {
        const ok = memSink.touch(page, word, data);
        if (ok && this.tracking) this.written.set(page);
        return ok;
      },
    };
    const diskSink = vm.diskSink;
    if (diskSink)
      vm.diskSink = {
        touch: (page, word, data) => {
          const ok = diskSink.touch(page, word, data);
          if (ok && this.tracking) this.writtenDisk.set(page);
          return ok;
        },
      };
  }

  /** Protection starts: the reference is the primary as it is now (what the full copy carries). */
  begin(): void {
    this.memory.bytes.set(this.vm.memory.bytes);
    this.memory.touched.setAll();
    if (this.disk && this.vm.disk) {
      this.disk.bytes.set(this.vm.disk.bytes);
      this.disk.touched.setAll();
    }
    this.written.clearAll();
    this.writtenDisk.clearAll();
    this.dropImages();
    this.epoch = 0;
    this.tracking = true;
  }

  /** The primary is stunned for checkpoint `epoch`: keep the pages written since the last stun. */
  atStun(epoch: number): void {
    const pages = takeWritten(this.written, this.vm.memory.pages);
    const blocks = this.vm.disk ? takeWritten(this.writtenDisk, this.vm.disk.pages) : new Int32Array(0);
    const slots = this.imageStore.copyPages(this.vm.memory, pages);
    const blockSlots = this.vm.disk ? this.imageStore.copyPages(this.vm.disk, blocks) : new Int32Array(0);
    this.images.push({ epoch, pages, slots, blocks, blockSlots });
  }

  /** Bring the reference to checkpoint `epoch`; images of later stuns stay pending. */
  advanceTo(epoch: number): void {
    while (this.images.length > 0 && this.images[0].epoch <= epoch) {
      const img = this.images.shift() as StunImage;
      for (let k = 0; k < img.pages.length; k++) {
        this.memory.installPage(img.pages[k], this.imageStore.page(img.slots[k]));
        this.pending.set(img.pages[k]);
      }
      if (this.disk)
        for (let k = 0; k < img.blocks.length; k++) {
          this.disk.installPage(img.blocks[k], this.imageStore.page(img.blockSlots[k]));
          this.pendingDisk.set(img.blocks[k]);
        }
      this.release(img);
    }
    this.epoch = epoch;
  }

  /** The backup wrote these pages and blocks (a checkpoint applied): check them next time. */
  markApplied(pages: Int32Array, blocks: Int32Array): void {
    for (const p of pages) this.pending.set(p);
    for (const b of blocks) this.pendingDisk.set(b);
  }

  /**
   * Pages (memory and disk blocks) of `backup` that differ from the reference: all of them, or
   * (`full` false) those either side changed since the last check, the others being equal then
   * and written by neither since (the guest's writes are all seen here, the backup's all marked).
   */
  mismatches(backup: GuestMemory, backupDisk: GuestMemory | null, full: boolean): number {
    let n = full ? backup.mismatchedPages(this.memory).length : countDiffering(this.pending, backup, this.memory);
    if (backupDisk && this.disk)
      n += full
        ? backupDisk.mismatchedPages(this.disk).length
        : countDiffering(this.pendingDisk, backupDisk, this.disk);
    this.pending.clearAll();
    this.pendingDisk.clearAll();
    return n;
  }

  /** Failover: nothing more to track. */
  stop(): void {
    this.tracking = false;
    this.dropImages();
  }

  private dropImages(): void {
    for (const img of this.images) this.release(img);
    this.images = [];
  }

  private release(img: StunImage): void {
    this.imageStore.release(img.slots);
    this.imageStore.release(img.blockSlots);
  }

  snapshot(keeper?: MemoryKeeper): ReferenceSnapshot {
    return {
      memory: this.memory.snapshot(keeper),
      disk: this.disk ? this.disk.snapshot(keeper) : null,
      written: this.written.words.slice(),
      writtenDisk: this.writtenDisk.words.slice(),
      pending: this.pending.words.slice(),
      pendingDisk: this.pendingDisk.words.slice(),
      images: this.images.slice(),
      imageStore: this.imageStore.snapshot(keeper),
      epoch: this.epoch,
      tracking: this.tracking,
    };
  }

  restore(s: ReferenceSnapshot, keeper?: MemoryKeeper): void {
    this.memory.restore(s.memory, keeper);
    if (this.disk && s.disk) this.disk.restore(s.disk, keeper);
    this.written.words.set(s.written);
    this.writtenDisk.words.set(s.writtenDisk);
    this.pending.words.set(s.pending);
    this.pendingDisk.words.set(s.pendingDisk);
    this.images = s.images.slice();
    this.imageStore.restore(s.imageStore, keeper);
    this.epoch = s.epoch;
    this.tracking = s.tracking;
  }

  dispose(): void {
    this.memory.dispose();
    this.disk?.dispose();
    this.imageStore.dispose();
  }
}

function countDiffering(pages: Bitmap, a: GuestMemory, b: GuestMemory): number {
  let n = 0;
  for (let p = pages.scan(0, a.pages); p >= 0; p = pages.scan(p + 1, a.pages)) if (!a.pageEquals(p, b)) n++;
  return n;
}

/** The pages set in `written`, in order; clears it. */
function takeWritten(written: Bitmap, size: number): Int32Array {
  const pages = new Int32Array(written.count());
  let k = 0;
  for (let p = written.scan(0, size); p >= 0; p = written.scan(p + 1, size)) pages[k++] = p;
  written.clearAll();
  return pages;
}
