import { describe, expect, it } from 'vitest';
import { Prng } from '../kernel/prng';
import { GuestMemory, PAGE_SIZE } from './guestMemory';

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
