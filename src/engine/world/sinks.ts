import type { GuestMemory } from '../hw/guestMemory';
import type { PageSink } from '../workloads/memoryWriter';

/**
 * The guest writes to memory on the host it runs on. A write to a write-protected page
 * is handed to `onProtected` (which records it and lifts the protection), then retried.
 * `beforeWrite` runs first (a migration copies a page still on its way out).
 */
export class LocalSink implements PageSink {
  constructor(
    private readonly memory: GuestMemory,
    private readonly onProtected?: (page: number) => void,
    private readonly beforeWrite?: (page: number) => void,
  ) {}

  touch(page: number, wordOffset: number, data: Uint32Array): boolean {
    this.beforeWrite?.(page);
    if (this.memory.write(page, wordOffset, data) === 'written') return true;
    this.onProtected?.(page);
    return this.memory.write(page, wordOffset, data) === 'written';
  }
}

/**
 * The guest runs on the destination. A page not yet there is a remote fault (`onMissing`
 * starts it; the vCPU stalls). Every write also lands in `reference`: the memory the VM
 * would have had if it had stayed, against which the destination is checked byte for byte.
 */
export class DestinationSink implements PageSink {
  constructor(
    private readonly dest: GuestMemory,
    private readonly reference: GuestMemory,
    private readonly isPresent: (page: number) => boolean = () => true,
    private readonly onMissing: (page: number) => void = () => {},
    private readonly beforeMirror?: (page: number) => void,
  ) {}

  touch(page: number, wordOffset: number, data: Uint32Array): boolean {
    if (!this.isPresent(page)) {
      this.onMissing(page);
      return false;
    }
    this.dest.write(page, wordOffset, data);
    this.beforeMirror?.(page);
    this.reference.mirrorWrite(page, wordOffset, data);
    return true;
  }
}
