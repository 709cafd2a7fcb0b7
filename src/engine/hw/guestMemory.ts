import { Bitmap } from './bitmap';
import { acquireBuffer, releaseBuffer } from './bufferPool';

export const PAGE_SIZE = 4096;
export const PAGE_WORDS = PAGE_SIZE / 4;
const PAGE_DOUBLES = PAGE_SIZE / 8;
export const PAGE_SHIFT = 12;

export type WriteResult = 'written' | 'protected';

/**
 * Guest-physical memory: one ArrayBuffer of 4 KiB pages, a dirty bitmap set by every
 * write (as EPT/NPT dirty bits or a KVM dirty log would be) and a write-protect bitmap
 * checked by every write. Also used for a virtual disk's blocks (same page size).
 */
export class GuestMemory {
  readonly bytes: Uint8Array;
  readonly words: Uint32Array;
  /** The same bytes as signed words (the keyframe codec's view). */
  readonly ints: Int32Array;
  /** The same bytes as doubles: page compares take half the steps (NaN bit patterns are re-checked as words). */
  private readonly doubles: Float64Array;
  readonly dirty: Bitmap;
  readonly writeProtect: Bitmap;
  /** Pages changed since a MemoryKeeper last saved this memory (for page-level keyframes). */
  readonly touched: Bitmap;
  /** How the initial contents were made, so any page's initial bytes can be made again. */
  private base: { seed: number; filled: Bitmap | null } | null = null;

  constructor(readonly pages: number) {
    this.bytes = new Uint8Array(acquireBuffer(pages * PAGE_SIZE));
    this.words = new Uint32Array(this.bytes.buffer);
    this.ints = new Int32Array(this.bytes.buffer);
    this.doubles = new Float64Array(this.bytes.buffer);
    this.dirty = new Bitmap(pages);
    this.writeProtect = new Bitmap(pages);
    this.touched = new Bitmap(pages);
  }

  /**
   * Initial contents: a fraction of pages (chosen by `prng`) hold non-zero bytes from a seed,
   * the rest are zero. Recorded, so `resetPageToBase` can recreate any page.
   */
  fillFromSeed(fraction: number, prng: { nextU32(): number }): void {
    const seed = prng.nextU32();
    let filled: Bitmap | null = null;
    if (fraction < 1) {
      filled = new Bitmap(this.pages);
      const threshold = Math.round(fraction * 4294967296);
      for (let i = 0; i < this.pages; i++) if (prng.nextU32() < threshold) filled.set(i);
    }
    for (let i = 0; i < this.pages; i++) if (!filled || filled.get(i)) fillPageFromSeed(this.words, i, seed);
    this.base = { seed, filled };
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
    releaseBuffer(this.bytes.buffer as ArrayBuffer);
  }

  get byteLength(): number {
    return this.bytes.length;
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
    const w = this.words;
    const end = (i + 1) * PAGE_WORDS;
    for (let k = i * PAGE_WORDS; k < end; k++) if (w[k] !== 0) return false;
    return true;
  }

  pageEquals(i: number, other: GuestMemory, j = i): boolean {
    const a = this.doubles;
    const b = other.doubles;
    const offA = i * PAGE_DOUBLES;
    const offB = j * PAGE_DOUBLES;
    // Four doubles per step; a group that differs as doubles (or is NaN) is re-checked as words.
    for (let k = 0; k < PAGE_DOUBLES; k += 4) {
      const x = offA + k;
      const y = offB + k;
      if (a[x] !== b[y] || a[x + 1] !== b[y + 1] || a[x + 2] !== b[y + 2] || a[x + 3] !== b[y + 3]) {
        for (let w = 0; w < 8; w++) if (this.words[2 * x + w] !== other.words[2 * y + w]) return false;
      }
    }
    return true;
  }

  /** Pages whose bytes differ from `other`'s, in order. */
  mismatchedPages(other: GuestMemory, limit = Number.POSITIVE_INFINITY): number[] {
    const out: number[] = [];
    const n = Math.min(this.pages, other.pages);
    for (let i = 0; i < n && out.length < limit; i++) if (!this.pageEquals(i, other)) out.push(i);
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
      this.bytes.set(s.bytes);
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
