/** A fixed-size set of page numbers, one bit each, over 32-bit words. */
export class Bitmap {
  readonly words: Uint32Array;

  constructor(readonly size: number) {
    this.words = new Uint32Array((size + 31) >>> 5);
  }

  get(i: number): boolean {
    return (this.words[i >>> 5] & (1 << (i & 31))) !== 0;
  }

  set(i: number): void {
    this.words[i >>> 5] |= 1 << (i & 31);
  }

  clear(i: number): void {
    this.words[i >>> 5] &= ~(1 << (i & 31));
  }

  setAll(): void {
    this.words.fill(0xffffffff);
    const tail = this.size & 31;
    if (tail) this.words[this.words.length - 1] = (1 << tail) - 1;
  }

  clearAll(): void {
    this.words.fill(0);
  }

  copyFrom(other: Bitmap): void {
    this.words.set(other.words);
  }

  /** this |= other */
  or(other: Bitmap): void {
    const w = this.words;
    const o = other.words;
    for (let i = 0; i < w.length; i++) w[i] |= o[i];
  }

  count(): number {
    let n = 0;
    const w = this.words;
    for (let i = 0; i < w.length; i++) n += popcount(w[i]);
    return n;
  }

  isEmpty(): boolean {
    const w = this.words;
    for (let i = 0; i < w.length; i++) if (w[i] !== 0) return false;
    return true;
  }

  /** The first set bit at or after `from`, wrapping once; -1 when none is set. */
  nextSetFrom(from: number): number {
    const hit = this.scan(from, this.size);
    return hit >= 0 || from === 0 ? hit : this.scan(0, from);
  }

  /** The first set bit in [from, to), or -1. */
  scan(from: number, to: number): number {
    const w = this.words;
    let wi = from >>> 5;
    const lastWord = (to + 31) >>> 5;
    if (wi >= lastWord) return -1;
    let word = w[wi] & (0xffffffff << (from & 31));
    for (;;) {
      if (word !== 0) {
        const bit = (wi << 5) + (31 - Math.clz32(word & -word));
        return bit < to ? bit : -1;
      }
      wi++;
      if (wi >= lastWord) return -1;
      word = w[wi];
    }
  }
}

export function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}
