import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Bitmap } from './bitmap';

describe('Bitmap', () => {
  it('behaves like a set of page numbers', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.array(fc.tuple(fc.boolean(), fc.nat()), { maxLength: 200 }),
        fc.nat(),
        (size, ops, from) => {
          const b = new Bitmap(size);
          const s = new Set<number>();
          for (const [add, raw] of ops) {
            const i = raw % size;
            if (add) {
              b.set(i);
              s.add(i);
            } else {
              b.clear(i);
              s.delete(i);
            }
          }
          expect(b.count()).toBe(s.size);
          expect(b.isEmpty()).toBe(s.size === 0);
          for (let i = 0; i < size; i++) expect(b.get(i)).toBe(s.has(i));
          const start = from % size;
          const sorted = [...s].sort((x, y) => x - y);
          const expectedNext = sorted.find((i) => i >= start) ?? sorted[0] ?? -1;
          expect(b.nextSetFrom(start)).toBe(expectedNext);
        },
      ),
    );
  });

  it('setAll sets exactly size bits', () => {
    for (const size of [1, 31, 32, 33, 100]) {
      const b = new Bitmap(size);
      b.setAll();
      expect(b.count()).toBe(size);
    }
  });
});
