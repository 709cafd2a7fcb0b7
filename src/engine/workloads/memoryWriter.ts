import { PAGE_SIZE, PAGE_WORDS } from '../hw/guestMemory';
import { MiB, type Nanos, NS_PER_S } from '../kernel/clock';
import type { Prng } from '../kernel/prng';
import { fillXorshift, xorshiftPage } from './xorshiftFill';

export type WorkloadKind = 'sweep' | 'uniform' | 'hotset' | 'idle';

export interface WorkloadSpec {
  kind: WorkloadKind;
  /** Pages dirtied per second, in bytes (pages x 4 KiB): the guest's dirty rate. */
  dirtyMiBps: number;
  /** The first workingSetFraction of memory is the only part written. */
  workingSetFraction: number;
  /** hotset: this fraction of the working set is hot... */
  hotFraction: number;
  /** ...and takes this share of the writes. */
  hotShare: number;
  /** Bytes of new data per page touch (4096 rewrites the page; 16 changes four words). */
  writeBytes: number;
}

/** Where the guest's writes land. `touch` returns false when the vCPU must stall on that page. */
export interface PageSink {
  touch(page: number, wordOffset: number, data: Uint32Array): boolean;
}

export interface WriterState {
  prng: number[];
  cursor: number;
  carryBytes: number;
  lastNs: Nanos;
  pendingPage: number;
  pagesWritten: number;
}

/**
 * A guest that dirties pages at a rate, writing real bytes from its own PRNG stream.
 * It is advanced lazily: `advance(now)` performs every write due since the last call,
 * so dirty counts are exact at whatever moment the migration looks at them.
 */
export class MemoryWriter {
  readonly workingSetPages: number;
  private readonly hotPages: number;
  private readonly data: Uint32Array;
  private cursor = 0;
  private carryBytes = 0;
  private lastNs: Nanos = 0;
  /** A page the last write stalled on (post-copy fault); it is written first on resume. */
  private pendingPage = -1;
  pagesWritten = 0;

  constructor(
    readonly spec: WorkloadSpec,
    readonly pages: number,
    private readonly prng: Prng,
  ) {
    this.workingSetPages = Math.max(1, Math.min(pages, Math.round(spec.workingSetFraction * pages)));
    this.hotPages = Math.max(1, Math.min(this.workingSetPages, Math.round(spec.hotFraction * this.workingSetPages)));
    this.data = new Uint32Array(Math.max(1, Math.min(PAGE_WORDS, spec.writeBytes >>> 2)));
  }

  get bytesPerSecond(): number {
    return this.spec.kind === 'idle' ? 0 : this.spec.dirtyMiBps * MiB;
  }

  /**
   * Perform the writes due up to `now` at `rateFactor` x the dirty rate (1 − throttle).
   * Returns false if the vCPU stalled on a page (the sink refused it).
   */
  advance(now: Nanos, rateFactor: number, sink: PageSink): boolean {
    const elapsed = now - this.lastNs;
    this.lastNs = now;
    const rate = this.bytesPerSecond * rateFactor;
    if (elapsed <= 0 && this.pendingPage < 0) return true;
    const due = this.carryBytes + (elapsed * rate) / NS_PER_S;
    let pages = Math.floor(due / PAGE_SIZE);
    this.carryBytes = due - pages * PAGE_SIZE;
    if (this.pendingPage >= 0) {
      if (!this.writePage(this.pendingPage, sink)) return false;
      this.pendingPage = -1;
    }
    while (pages > 0) {
      const page = this.nextPage();
      pages--;
      if (!this.writePage(page, sink)) {
        // The stall is seen only now, so the writes due after this one are owed, not lost:
        // the vCPU makes them once it runs again (its stall is counted from now).
        this.pendingPage = page;
        this.carryBytes += pages * PAGE_SIZE;
        return false;
      }
    }
    return true;
  }

  /** Time passes without the vCPU running (paused, or stalled on a fault): nothing is due for it. */
  skipTo(now: Nanos): void {
    this.lastNs = now;
  }

  private writePage(page: number, sink: PageSink): boolean {
    const seed = this.prng.nextU32() | 1;
    let data = this.data;
    if (data.length === PAGE_WORDS) data = xorshiftPage(seed);
    else fillXorshift(data, seed);
    const offset = data.length < PAGE_WORDS ? this.prng.nextInt(PAGE_WORDS - data.length + 1) : 0;
    if (!sink.touch(page, offset, data)) return false;
    this.pagesWritten++;
    return true;
  }

  private nextPage(): number {
    const ws = this.workingSetPages;
    switch (this.spec.kind) {
      case 'sweep': {
        const page = this.cursor;
        this.cursor = (this.cursor + 1) % ws;
        return page;
      }
      case 'hotset': {
        if (ws === this.hotPages || this.prng.nextFloat() < this.spec.hotShare) return this.prng.nextInt(this.hotPages);
        return this.hotPages + this.prng.nextInt(ws - this.hotPages);
      }
      default:
        return this.prng.nextInt(ws);
    }
  }

  snapshot(): WriterState {
    return {
      prng: this.prng.getState(),
      cursor: this.cursor,
      carryBytes: this.carryBytes,
      lastNs: this.lastNs,
      pendingPage: this.pendingPage,
      pagesWritten: this.pagesWritten,
    };
  }

  restore(s: WriterState): void {
    this.prng.setState(s.prng);
    this.cursor = s.cursor;
    this.carryBytes = s.carryBytes;
    this.lastNs = s.lastNs;
    this.pendingPage = s.pendingPage;
    this.pagesWritten = s.pagesWritten;
  }
}
