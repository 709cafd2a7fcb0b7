import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PAGE_SIZE } from '../hw/guestMemory';
import {
  XEN_EMPTY_PAGE,
  XEN_FULL_PAGE,
  XEN_FULL_PAGE_BYTES,
  XEN_MAX_RUN_BYTES,
  XEN_WORST_DELTA_BYTES,
  xenDecodePage,
  xenEncodeDelta,
  xenEncodeFull,
  xenRuns,
} from './xenDelta';

const page = () => fc.uint8Array({ minLength: PAGE_SIZE, maxLength: PAGE_SIZE });
const edits = () => fc.array(fc.tuple(fc.nat(PAGE_SIZE - 1), fc.integer({ min: 1, max: 255 })), { maxLength: 300 });
const aligned = (bytes: Uint8Array) => {
  const copy = new Uint8Array(PAGE_SIZE);
  copy.set(bytes);
  return copy;
};

describe('Xen checkpoint delta codec (xc_compression.c)', () => {
  it('an unchanged cached page costs 1 byte (EMPTY_PAGE)', () => {
    const old = aligned(new Uint8Array(PAGE_SIZE).fill(7));
    const out = new Uint8Array(XEN_WORST_DELTA_BYTES);
    expect(xenEncodeDelta(old.slice(), old, out, 0)).toBe(1);
    expect(out[0]).toBe(XEN_EMPTY_PAGE);
  });

  it('an uncached page costs 4097 bytes (FULL_PAGE and the page)', () => {
    const p = aligned(new Uint8Array(PAGE_SIZE).fill(3));
    const out = new Uint8Array(XEN_FULL_PAGE_BYTES);
    expect(xenEncodeFull(p, out, 0)).toBe(4097);
    expect(out[0]).toBe(XEN_FULL_PAGE);
    const dest = new Uint8Array(PAGE_SIZE);
    expect(xenDecodePage(out, 0, out.length, dest)).toBe(4097);
    expect(dest).toEqual(p);
  });

  it('a page with every word changed costs the worst case, 4105 bytes: 8 runs of 508 bytes and one of 32', () => {
    const old = new Uint8Array(PAGE_SIZE);
    const next = new Uint8Array(PAGE_SIZE).fill(1);
    const out = new Uint8Array(XEN_WORST_DELTA_BYTES);
    expect(xenEncodeDelta(old, next, out, 0)).toBe(4105);
    expect(xenRuns(out, 0)).toEqual([...Array(8).fill({ copy: true, words: 127 }), { copy: true, words: 8 }]);
  });

  it('one changed word in the middle: skip, copy 1 word, skip (headers for every run, the trailing skip too)', () => {
    const old = new Uint8Array(PAGE_SIZE);
    const next = old.slice();
    next[400 * 4] = 9;
    const out = new Uint8Array(XEN_WORST_DELTA_BYTES);
    const len = xenEncodeDelta(old.slice(), next, out, 0);
    // 400 words skipped: 127+127+127+19; 1 copied; 623 skipped: 127*4+115.
    expect(xenRuns(out, 0)).toEqual([
      { copy: false, words: 127 },
      { copy: false, words: 127 },
      { copy: false, words: 127 },
      { copy: false, words: 19 },
      { copy: true, words: 1 },
      { copy: false, words: 127 },
      { copy: false, words: 127 },
      { copy: false, words: 127 },
      { copy: false, words: 127 },
      { copy: false, words: 115 },
    ]);
    expect(len).toBe(10 + 4);
  });

  it('decoding onto the old page gives the new page; the sender cache becomes the new page; sizes stay in bounds', () => {
    fc.assert(
      fc.property(page(), edits(), (oldBytes, changes) => {
        const old = aligned(oldBytes);
        const next = old.slice();
        for (const [at, x] of changes) next[at] ^= x;
        const cache = old.slice();
        const out = new Uint8Array(XEN_WORST_DELTA_BYTES + 3);
        const len = xenEncodeDelta(cache, next, out, 3);
        expect(len).toBeGreaterThanOrEqual(1);
        expect(len).toBeLessThanOrEqual(XEN_WORST_DELTA_BYTES);
        expect(cache).toEqual(next);
        const receiver = old.slice();
        expect(xenDecodePage(out, 3, 3 + len, receiver)).toBe(3 + len);
        expect(receiver).toEqual(next);
        for (const run of xenRuns(out, 3)) {
          expect(run.words).toBeGreaterThan(0);
          expect(run.words * 4).toBeLessThanOrEqual(XEN_MAX_RUN_BYTES);
        }
        const changedWords = new Set(changes.map(([at]) => at >>> 2)).size;
        if (changedWords === 0) expect(len).toBe(1);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses a record that runs past the page or the buffer', () => {
    const dest = new Uint8Array(PAGE_SIZE);
    expect(() => xenDecodePage(Uint8Array.of(5, 1, 2, 3), 0, 4, dest)).toThrow(/past the end of the buffer/);
    expect(() => xenDecodePage(Uint8Array.of(0x80 | 127), 0, 1, dest)).toThrow(/do not cover the page/);
    expect(() => xenDecodePage(Uint8Array.of(XEN_FULL_PAGE, 1), 0, 2, dest)).toThrow(/full page/);
  });
});
