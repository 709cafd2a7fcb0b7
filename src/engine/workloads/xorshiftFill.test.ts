import { describe, expect, it } from 'vitest';
import { Prng } from '../kernel/prng';
import { fillXorshift, xorshiftPage } from './xorshiftFill';

function plainRun(length: number, seed: number): Uint32Array {
  const out = new Uint32Array(length);
  let x = seed;
  for (let k = 0; k < length; k++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[k] = x;
  }
  return out;
}

describe('fillXorshift: the four-lane run is word for word the plain xorshift run', () => {
  const prng = Prng.stream(7, 'xorshift-test');
  for (const length of [1, 3, 31, 32, 33, 100, 1023, 1024]) {
    it(`${length} words`, () => {
      for (let rep = 0; rep < 20; rep++) {
        const seed = prng.nextU32() | 1;
        const out = new Uint32Array(length);
        fillXorshift(out, seed);
        expect(out).toEqual(plainRun(length, seed));
      }
    });
  }

  it('extreme seeds', () => {
    for (const seed of [1, 0x80000001 | 0, -1, 0x7fffffff]) {
      const out = new Uint32Array(1024);
      fillXorshift(out, seed);
      expect(out).toEqual(plainRun(1024, seed));
    }
  });

  it('a whole page from the shared buffer', () => {
    for (let rep = 0; rep < 20; rep++) {
      const seed = prng.nextU32() | 1;
      expect(xorshiftPage(seed)).toEqual(plainRun(1024, seed));
    }
  });
});
