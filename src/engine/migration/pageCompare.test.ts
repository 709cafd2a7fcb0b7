import { describe, expect, it } from 'vitest';
import { GuestMemory, PAGE_WORDS } from '../hw/guestMemory';

/** The final byte check rests on these compares: every differing bit pattern must count. */
describe('page compares used by the final byte check', () => {
  const pages = 64;
  const pair = () => {
    const a = new GuestMemory(pages);
    const b = new GuestMemory(pages);
    for (let k = 0; k < pages * PAGE_WORDS; k += 3) a.words[k] = b.words[k] = Math.imul(k, 0x9e3779b1);
    return [a, b] as const;
  };

  it('equal memories have no mismatched page', () => {
    const [a, b] = pair();
    expect(a.mismatchedPages(b)).toEqual([]);
    for (let p = 0; p < pages; p++) expect(a.pageEquals(p, b)).toBe(true);
  });

  it('finds every differing page, at its first, last or any word, and only those', () => {
    const [a, b] = pair();
    const spots = [
      [0, 0],
      [5, PAGE_WORDS - 1],
      [6, 0],
      [7, 513],
      [63, PAGE_WORDS - 1],
    ];
    for (const [p, w] of spots) b.words[p * PAGE_WORDS + w] ^= 1 << (w & 31);
    expect(a.mismatchedPages(b)).toEqual([0, 5, 6, 7, 63]);
    expect(a.mismatchedPages(b, 2)).toEqual([0, 5]);
    for (let p = 0; p < pages; p++) expect(a.pageEquals(p, b)).toBe(![0, 5, 6, 7, 63].includes(p));
  });

  it('bit patterns that compare equal as doubles (-0 vs +0) or unequal (NaN) are told apart by their bits', () => {
    const [a, b] = pair();
    // -0.0 is the high word 0x80000000 over a zero low word; +0.0 is all zeros.
    a.words[3 * PAGE_WORDS + 10] = 0;
    a.words[3 * PAGE_WORDS + 11] = 0x80000000;
    b.words[3 * PAGE_WORDS + 10] = 0;
    b.words[3 * PAGE_WORDS + 11] = 0;
    // The same NaN bits in both: equal.
    a.words[9 * PAGE_WORDS + 20] = b.words[9 * PAGE_WORDS + 20] = 1;
    a.words[9 * PAGE_WORDS + 21] = b.words[9 * PAGE_WORDS + 21] = 0x7ff00000;
    // Two NaNs with different payloads: unequal.
    a.words[12 * PAGE_WORDS + 30] = 1;
    b.words[12 * PAGE_WORDS + 30] = 2;
    a.words[12 * PAGE_WORDS + 31] = b.words[12 * PAGE_WORDS + 31] = 0x7ff00000;
    expect(a.mismatchedPages(b)).toEqual([3, 12]);
    expect(a.pageEquals(3, b)).toBe(false);
    expect(a.pageEquals(9, b)).toBe(true);
    expect(a.pageEquals(12, b)).toBe(false);
  });

  it('compares a page against another page number', () => {
    const [a, b] = pair();
    b.words.copyWithin(2 * PAGE_WORDS, 8 * PAGE_WORDS, 9 * PAGE_WORDS);
    expect(a.pageEquals(8, b, 2)).toBe(true);
    expect(a.pageEquals(8, b, 3)).toBe(false);
  });
});
