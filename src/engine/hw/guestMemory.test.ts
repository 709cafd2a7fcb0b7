import { describe, expect, it } from 'vitest';
import { Prng } from '../kernel/prng';
import { fillPageFromSeed, GuestMemory, PAGE_SIZE } from './guestMemory';

describe('GuestMemory', () => {
  it('a write changes the bytes and sets the page dirty', () => {
    const m = new GuestMemory(8);
    expect(m.write(3, 10, new Uint32Array([0x11223344, 5]))).toBe('written');
    expect(m.dirty.get(3)).toBe(true);
    expect(m.dirty.count()).toBe(1);
    expect(m.pageWords(3)[10]).toBe(0x11223344);
    expect(m.bytes[3 * PAGE_SIZE + 40]).toBe(0x44);
  });

  it('a protected write is reported and changes nothing', () => {
    const m = new GuestMemory(4);
    m.writeProtect.set(2);
    expect(m.write(2, 0, new Uint32Array([7]))).toBe('protected');
    expect(m.isZeroPage(2)).toBe(true);
    expect(m.dirty.get(2)).toBe(false);
  });

  it('finds zero pages and the pages that differ between two memories', () => {
    const a = new GuestMemory(16);
    a.fillFromSeed(0.5, Prng.stream(3, 'fill'));
    const zero = Array.from({ length: 16 }, (_, i) => a.isZeroPage(i)).filter(Boolean).length;
    expect(zero).toBeGreaterThan(2);
    expect(zero).toBeLessThan(14);
    const b = new GuestMemory(16);
    b.bytes.set(a.bytes);
    expect(a.mismatchedPages(b)).toEqual([]);
    b.bytes[5 * PAGE_SIZE + 4095] ^= 1;
    b.bytes[9 * PAGE_SIZE] ^= 0x80;
    expect(a.mismatchedPages(b)).toEqual([5, 9]);
  });

  it('resetPageToBase recreates the initial contents', () => {
    const m = new GuestMemory(16);
    m.fillFromSeed(0.7, Prng.stream(5, 'fill'));
    const initial = m.bytes.slice();
    for (let p = 0; p < 16; p++) m.write(p, 0, new Uint32Array([p + 1]));
    for (let p = 0; p < 16; p++) m.resetPageToBase(p);
    expect(Buffer.compare(m.bytes, initial)).toBe(0);
  });

  it('a plain snapshot restores bytes and bitmaps', () => {
    const m = new GuestMemory(4);
    m.write(1, 0, new Uint32Array([1]));
    const snap = m.snapshot();
    m.write(2, 0, new Uint32Array([2]));
    m.writeProtect.set(3);
    m.restore(snap);
    expect(m.isZeroPage(2)).toBe(true);
    expect(m.dirty.get(2)).toBe(false);
    expect(m.writeProtect.get(3)).toBe(false);
    expect(m.pageWords(1)[0]).toBe(1);
  });
});

describe('GuestMemory: the initial fill written on first use', () => {
  it('gives the bytes fillPageFromSeed writes, however the bytes are first reached', () => {
    for (const first of ['bytes', 'words', 'page', 'write', 'materialize', 'in parts', 'part then bytes'] as const) {
      const m = new GuestMemory(40);
      m.fillFromSeed(0.6, Prng.stream(8, 'fill'));
      expect(m.materialized).toBe(false);
      const zeroBefore = Array.from({ length: 40 }, (_, p) => m.isZeroPage(p));
      expect(m.materialized).toBe(false);
      if (first === 'bytes') void m.bytes;
      if (first === 'words') void m.words;
      if (first === 'page') void m.page(3);
      if (first === 'write') m.write(7, 3, Uint32Array.of(42));
      if (first === 'materialize') m.materialize();
      if (first === 'in parts') {
        let parts = 1;
        while (!m.fillSome(7)) parts++;
        expect(parts).toBe(6);
      }
      if (first === 'part then bytes') {
        expect(m.fillSome(7)).toBe(false);
        expect(m.fillSome(7)).toBe(false);
        expect(m.materialized).toBe(false);
        void m.bytes;
      }
      expect(m.materialized).toBe(true);
      const expected = new Uint32Array(40 * 1024);
      for (let p = 0; p < 40; p++) if (m.baseHead(p) !== 0) fillPageFromSeed(expected, p, seedOf(8));
      if (first === 'write') expected[7 * 1024 + 3] = 42;
      expect(Buffer.compare(m.bytes, new Uint8Array(expected.buffer))).toBe(0);
      expect(Array.from({ length: 40 }, (_, p) => m.isZeroPage(p))).toEqual(zeroBefore);
    }
  });

  it('a memory already used is filled at once, over what it held', () => {
    const m = new GuestMemory(8);
    m.write(2, 0, Uint32Array.of(5));
    m.fillFromSeed(1, Prng.stream(8, 'fill'));
    expect(m.materialized).toBe(true);
    expect(m.words[2 * 1024]).not.toBe(5);
  });
});

/** The seed fillFromSeed draws first from Prng.stream(seed, 'fill'). */
function seedOf(seed: number): number {
  return Prng.stream(seed, 'fill').nextU32();
}
