import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PAGE_SIZE } from '../hw/guestMemory';
import { readUleb128, uleb128Size, writeUleb128 } from './uleb128';
import { xbzrleDecode, xbzrleEncode } from './xbzrle';

const page = () => fc.uint8Array({ minLength: PAGE_SIZE, maxLength: PAGE_SIZE });
const edits = () => fc.array(fc.tuple(fc.nat(PAGE_SIZE - 1), fc.integer({ min: 1, max: 255 })), { maxLength: 64 });

describe('ULEB128', () => {
  it('round-trips and reports its size', () => {
    fc.assert(
      fc.property(fc.nat(0x7fffffff), (v) => {
        const buf = new Uint8Array(8);
        const end = writeUleb128(buf, 0, v);
        expect(end).toBe(uleb128Size(v));
        expect(readUleb128(buf, 0)).toEqual([v, end]);
      }),
    );
  });
});

describe('XBZRLE', () => {
  it('decoding the delta onto the old page gives the new page', () => {
    fc.assert(
      fc.property(page(), edits(), (old, changes) => {
        const next = old.slice();
        for (const [at, x] of changes) next[at] ^= x;
        const out = new Uint8Array(PAGE_SIZE * 2);
        const len = xbzrleEncode(old, next, out, PAGE_SIZE * 2);
        expect(len).toBeGreaterThanOrEqual(0);
        const restored = old.slice();
        xbzrleDecode(out.subarray(0, len), restored);
        expect(Buffer.compare(restored, next)).toBe(0);
      }),
    );
  });

  it('an unchanged page encodes to nothing; a few changed words to a few bytes', () => {
    const old = new Uint8Array(PAGE_SIZE).map((_, i) => (i * 7) & 0xff);
    const out = new Uint8Array(PAGE_SIZE);
    expect(xbzrleEncode(old, old.slice(), out, PAGE_SIZE)).toBe(0);
    const next = old.slice();
    next.fill(0xaa, 1000, 1016);
    const len = xbzrleEncode(old, next, out, PAGE_SIZE);
    expect(len).toBeGreaterThan(16);
    expect(len).toBeLessThan(24);
  });

  it('gives up (-1) when the delta would not be smaller than the limit', () => {
    const old = new Uint8Array(PAGE_SIZE);
    const next = new Uint8Array(PAGE_SIZE).fill(1);
    expect(xbzrleEncode(old, next, new Uint8Array(PAGE_SIZE), PAGE_SIZE - 1)).toBe(-1);
  });
});
