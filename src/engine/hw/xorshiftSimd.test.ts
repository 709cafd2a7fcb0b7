import { describe, expect, it } from 'vitest';
import { BATCH, simdPages } from './xorshiftSimd';

/** The scalar run every page codec and fill in the engine writes. */
function scalarRun(head: number): Int32Array {
  const out = new Int32Array(1024);
  let x = head;
  out[0] = x;
  for (let k = 1; k < 1024; k++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[k] = x;
  }
  return out;
}

describe('xorshift pages in WebAssembly SIMD', () => {
  it('is available here (Node 20 has WebAssembly SIMD)', () => {
    expect(simdPages).not.toBeNull();
  });

  it('writes every lane of every group as the scalar run from its head', () => {
    const simd = simdPages;
    if (!simd) throw new Error('no WebAssembly SIMD');
    const heads = Array.from({ length: BATCH }, (_, i) => (Math.imul(i + 1, 0x9e3779b1) ^ 0x5bd1e995) | 0);
    heads[3] = -1;
    heads[9] = 0x80000000 | 0;
    simd.heads.set(heads);
    simd.generate(BATCH / 8);
    heads.forEach((h, i) => {
      expect(
        Buffer.compare(Buffer.from(simd.out.slice(i * 1024, (i + 1) * 1024).buffer), Buffer.from(scalarRun(h).buffer)),
      ).toBe(0);
    });
  });
});
