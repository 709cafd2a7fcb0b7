import { Bitmap } from './bitmap';
import { acquireBacking, type Backing, releaseBacking } from './bufferPool';
import { RunFiller } from './pageRuns';

export const PAGE_SIZE = 4096;
export const PAGE_WORDS = PAGE_SIZE / 4;
const PAGE_LONGS = PAGE_SIZE / 8;
export const PAGE_SHIFT = 12;

export type WriteResult = 'written' | 'protected';

/**
 * Guest-physical memory: one ArrayBuffer of 4 KiB pages, a dirty bitmap set by every
 * write (as EPT/NPT dirty bits or a KVM dirty log would be) and a write-protect bitmap
 * checked by every write. Also used for a virtual disk's blocks (same page size).
 */
export class GuestMemory {
  private readonly backing: Backing;
  private readonly rawBytes: Uint8Array;
  private readonly rawWords: Uint32Array;
  private readonly rawInts: Int32Array;
  /** The same bytes as 64-bit integers: compares take an eighth of the byte steps, and are exact (doubles miss -0 vs +0). */
  private readonly rawLongs: BigInt64Array;
  /**
   * `fillFromSeed` was called but its bytes are not written yet: they are, before anything reads
   * or writes the bytes (every way to them below checks), or when `materialize` is called. So a
   * run can be built (and its first frame shown) without writing its memory first.
   */
  private fillPending = false;
  /** Pages of the pending initial fill written so far, from page 0 (see `fillSome`). */
  private fillCursor = 0;
  /** A keeper's restore left for the first use of the bytes (see `defer`). */
  private deferred: (() => void) | null = null;
  /** fillPending or deferred: the getters' one check. */
  private unsettled = false;
  /** Nothing has looked at the bytes yet: they are all zero (fresh buffers are). */
  private pristine = true;
  readonly dirty: Bitmap;
  readonly writeProtect: Bitmap;
  /** Pages changed since a MemoryKeeper last saved this memory (for page-level keyframes). */
  readonly touched: Bitmap;
  /** How the initial contents were made, so any page's initial bytes can be made again. */
  private base: { seed: number; filled: Bitmap | null } | null = null;

  constructor(readonly pages: number) {
    this.backing = acquireBacking(pages * PAGE_SIZE);
    const { buffer, byteOffset } = this.backing;
    this.rawBytes = new Uint8Array(buffer, byteOffset, pages * PAGE_SIZE);
    this.rawWords = new Uint32Array(buffer, byteOffset, pages * PAGE_WORDS);
    this.rawInts = new Int32Array(buffer, byteOffset, pages * PAGE_WORDS);
    this.rawLongs = new BigInt64Array(buffer, byteOffset, pages * PAGE_LONGS);
    this.dirty = new Bitmap(pages);
    this.writeProtect = new Bitmap(pages);
    this.touched = new Bitmap(pages);
  }

  get bytes(): Uint8Array {
    if (this.unsettled) this.materialize();
    this.pristine = false;
    return this.rawBytes;
  }

  get words(): Uint32Array {
    if (this.unsettled) this.materialize();
    this.pristine = false;
    return this.rawWords;
  }

  /** The same bytes as signed words (the keyframe codec's view). */
  get ints(): Int32Array {
    if (this.unsettled) this.materialize();
    this.pristine = false;
    return this.rawInts;
  }

  private get longs(): BigInt64Array {
    if (this.unsettled) this.materialize();
    this.pristine = false;
    return this.rawLongs;
  }

  /**
   * Initial contents: a fraction of pages (chosen by `prng`) hold non-zero bytes from a seed,
   * the rest are zero. Recorded, so `resetPageToBase` can recreate any page. The PRNG is
   * consumed now; the bytes are written on first use of them (see `fillPending`).
   */
  fillFromSeed(fraction: number, prng: { nextU32(): number }): void {
    const seed = prng.nextU32();
    let filled: Bitmap | null = null;
    if (fraction < 1) {
      filled = new Bitmap(this.pages);
      const threshold = Math.round(fraction * 4294967296);
      for (let i = 0; i < this.pages; i++) if (prng.nextU32() < threshold) filled.set(i);
    }
    if (this.unsettled) this.materialize();
    this.base = { seed, filled };
    this.fillPending = true;
    this.fillCursor = 0;
    this.unsettled = true;
    if (!this.pristine) this.materialize();
  }

  /** Write the bytes left for later, if any: the initial fill, then a deferred restore. */
  materialize(): void {
    if (!this.unsettled) return;
    this.unsettled = false;
    if (this.fillPending) this.writeFill();
    const work = this.deferred;
    this.deferred = null;
    work?.();
  }

  /**
   * Leave a keeper's restore for the first use of the bytes (or `materialize`): a seek restores
   * every memory, but a memory the run does not read before the next seek need not be written.
   * Replaces work deferred before (the keeper folds it into the new work). Meanwhile the keeper
   * knows which pages are current, and may read those through `currentInts`.
   */
  defer(work: () => void): void {
    if (this.fillPending) this.materialize();
    this.deferred = work;
    this.unsettled = true;
  }

  /**
   * The bytes as they are, initial fill written but not a deferred restore: only for a keeper
   * that knows which pages are current.
   */
  get currentInts(): Int32Array {
    if (this.fillPending) this.materialize(); // nothing is deferred while the fill is pending (see defer)
    this.pristine = false;
    return this.rawInts;
  }

  /**
   * Write up to `pages` more pages of a pending initial fill; true once it is all written. So a
   * worker can fill a large memory between looks at its inbox instead of in one long step.
   */
  fillSome(pages: number): boolean {
    if (!this.fillPending) return true;
    this.writeFill(Math.min(this.pages, this.fillCursor + pages));
    if (this.fillPending) return false;
    this.unsettled = this.deferred !== null;
    return true;
  }

  /** Pages fillCursor .. end-1 of the initial fill (the rest of it by default). */
  private writeFill(end = this.pages): void {
    const base = this.base;
    if (base) {
      // Each seeded page is the xorshift run from its head (as fillPageFromSeed writes it), in batches.
      const filler = new RunFiller(this.rawInts, this.backing.generate);
      for (let i = this.fillCursor; i < end; i++)
        if (!base.filled || base.filled.get(i)) filler.add(i * PAGE_WORDS, this.baseHead(i));
      filler.flush();
    }
    this.fillCursor = end;
    if (end === this.pages) this.fillPending = false;
  }

  /** Writes whole pages that are one xorshift run each, in batches (in place in WebAssembly SIMD where there is). */
  runFiller(): RunFiller {
    return new RunFiller(this.ints, this.backing.generate);
  }

  /** Whether whole-page runs are written in place in WebAssembly SIMD (else in JavaScript). */
  get simdInPlace(): boolean {
    return this.backing.generate !== null;
  }

  /** False while the initial fill or a restore is recorded but its bytes not yet written. */
  get materialized(): boolean {
    return !this.unsettled;
  }

  /** Put page i back to its initial contents. */
  resetPageToBase(i: number): void {
    const base = this.base;
    if (base && (!base.filled || base.filled.get(i))) fillPageFromSeed(this.words, i, base.seed);
    else this.words.fill(0, i * PAGE_WORDS, (i + 1) * PAGE_WORDS);
  }

  /** The first word of page i's initial contents, as a signed int: the whole page is the xorshift run from it. */
  baseHead(i: number): number {
    const base = this.base;
    if (!base || (base.filled && !base.filled.get(i))) return 0;
    let x = (Math.imul(i + 1, 0x9e3779b1) ^ base.seed) | 1;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x;
  }

  /** Hand the bytes back for reuse; this memory must not be used afterwards. */
  dispose(): void {
    this.fillPending = false;
    this.deferred = null;
    this.unsettled = false;
    releaseBacking(this.backing);
  }

  get byteLength(): number {
    return this.rawBytes.length;
  }

  page(i: number): Uint8Array {
    return this.bytes.subarray(i * PAGE_SIZE, (i + 1) * PAGE_SIZE);
  }

  pageWords(i: number): Uint32Array {
    return this.words.subarray(i * PAGE_WORDS, (i + 1) * PAGE_WORDS);
  }

  /**
   * The guest writes `data` at word `wordOffset` of page `i`. A write-protected page is
   * not written: the caller gets 'protected' and decides (record it, unprotect, retry).
   */
  write(i: number, wordOffset: number, data: Uint32Array): WriteResult {
    if (this.writeProtect.get(i)) return 'protected';
    this.words.set(data, i * PAGE_WORDS + wordOffset);
    this.dirty.set(i);
    this.touched.set(i);
    return 'written';
  }

  /**
   * Write without dirty tracking or protection: bookkeeping, not a guest write on this host
   * (the reference copy that mirrors a migrated VM's writes).
   */
  mirrorWrite(i: number, wordOffset: number, data: Uint32Array): void {
    this.words.set(data, i * PAGE_WORDS + wordOffset);
    this.touched.set(i);
  }

  /** Put a whole page's bytes in place without touching dirty bits (a DMA from the migration stream). */
  installPage(i: number, data: Uint8Array): void {
    this.bytes.set(data, i * PAGE_SIZE);
    this.touched.set(i);
  }

  /** Pages first .. first+count-1 from consecutive 4 KiB blocks of `data`, in one copy. */
  installPages(first: number, count: number, data: Uint8Array): void {
    this.bytes.set(data.subarray(0, count * PAGE_SIZE), first * PAGE_SIZE);
    for (let i = first; i < first + count; i++) this.touched.set(i);
  }

  zeroPage(i: number): void {
    this.words.fill(0, i * PAGE_WORDS, (i + 1) * PAGE_WORDS);
    this.touched.set(i);
  }

  /** Change bytes of page i in place (a decoder patching it); marks the page touched. */
  mutablePage(i: number): Uint8Array {
    this.touched.set(i);
    return this.page(i);
  }

  isZeroPage(i: number): boolean {
    // Not written yet, the initial fill says: a seeded page has no zero word, the others are zero.
    if (this.fillPending && this.base) return this.base.filled ? !this.base.filled.get(i) : false;
    if (this.deferred) this.materialize();
    const w = this.rawWords;
    const start = i * PAGE_WORDS;
    const end = start + PAGE_WORDS;
    if (w[start] !== 0 || w[start + PAGE_WORDS / 2] !== 0 || w[end - 1] !== 0) return false;
    for (let k = start; k < end; k++) if (w[k] !== 0) return false;
    return true;
  }

  pageEquals(i: number, other: GuestMemory, j = i): boolean {
    return firstDifference(this.longs, i * PAGE_LONGS, other.longs, j * PAGE_LONGS, PAGE_LONGS) < 0;
  }

  /** Pages whose bytes differ from `other`'s, in order: one pass over both memories, resumed past each difference. */
  mismatchedPages(other: GuestMemory, limit = Number.POSITIVE_INFINITY): number[] {
    const out: number[] = [];
    const n = Math.min(this.pages, other.pages);
    const a = this.longs;
    const b = other.longs;
    for (let i = 0; i < n && out.length < limit; ) {
      const at = firstDifference(a, i * PAGE_LONGS, b, i * PAGE_LONGS, (n - i) * PAGE_LONGS);
      if (at < 0) break;
      const page = i + Math.floor(at / PAGE_LONGS);
      out.push(page);
      i = page + 1;
    }
    return out;
  }

  /** A copy of the whole memory, or with a keeper, only what it needs (pages changed since it last saved). */
  snapshot(keeper?: MemoryKeeper): MemorySnapshot {
    const bitmaps = { dirty: this.dirty.words.slice(), wp: this.writeProtect.words.slice() };
    return keeper ? { ...bitmaps, kept: keeper.save(this) } : { ...bitmaps, bytes: this.bytes.slice() };
  }

  restore(s: MemorySnapshot, keeper?: MemoryKeeper): void {
    this.dirty.words.set(s.dirty);
    this.writeProtect.words.set(s.wp);
    if (s.bytes) {
      // Every byte is replaced: an initial fill or restore not yet written need not be.
      this.fillPending = false;
      this.deferred = null;
      this.unsettled = false;
      this.pristine = false;
      this.rawBytes.set(s.bytes);
      this.touched.setAll();
    } else {
      if (!keeper) throw new Error('this memory snapshot was taken with a keeper; restore it with the same keeper');
      keeper.load(this, s.kept);
    }
  }
}

export interface MemorySnapshot {
  dirty: Uint32Array;
  wp: Uint32Array;
  /** The whole contents (a plain snapshot)... */
  bytes?: Uint8Array;
  /** ...or the keeper's token for them (a keyframe). */
  kept?: unknown;
}

/** Stores memory contents for snapshots in its own way (e.g. page-level deltas between keyframes). */
export interface MemoryKeeper {
  save(memory: GuestMemory): unknown;
  load(memory: GuestMemory, token: unknown): void;
}

/**
 * Fill page i with bytes from a 32-bit xorshift seeded by `seed` and the page number:
 * every page differs, the same seed gives the same bytes, and no word is zero.
 */
export function fillPageFromSeed(words: Uint32Array, pageIndex: number, seed: number): void {
  let x = (Math.imul(pageIndex + 1, 0x9e3779b1) ^ seed) | 1;
  const end = (pageIndex + 1) * PAGE_WORDS;
  for (let k = pageIndex * PAGE_WORDS; k < end; k++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[k] = x;
  }
}

/**
 * Where `a[offA..]` and `b[offB..]` first differ within `length` 64-bit words (a multiple of 8),
 * to within 8 words, relative to the offsets; -1 when they are equal.
 */
function firstDifference(a: BigInt64Array, offA: number, b: BigInt64Array, offB: number, length: number): number {
  for (let k = 0; k < length; k += 8) {
    const x = offA + k;
    const y = offB + k;
    if (
      a[x] !== b[y] ||
      a[x + 1] !== b[y + 1] ||
      a[x + 2] !== b[y + 2] ||
      a[x + 3] !== b[y + 3] ||
      a[x + 4] !== b[y + 4] ||
      a[x + 5] !== b[y + 5] ||
      a[x + 6] !== b[y + 6] ||
      a[x + 7] !== b[y + 7]
    ) {
      return k;
    }
  }
  return -1;
}
