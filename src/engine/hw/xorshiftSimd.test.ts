import { describe, expect, it } from 'vitest';
import { PAGES_PER_CALL, simdAvailable, simdBacking } from './xorshiftSimd';

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

describe('xorshift pages in WebAssembly SIMD, in place', () => {
  it('is available here (Node 20 has WebAssembly SIMD)', () => {
    expect(simdAvailable).toBe(true);
  });

  it('writes each page at its own address as the scalar run from its head, and nothing else', () => {
    const backing = simdBacking(32 * 4096);
    if (!backing) throw new Error('no WebAssembly SIMD');
    const words = new Int32Array(backing.buffer);
    expect(backing.buffer.byteLength).toBe(2 * 65536);
    // Pages in any order, not neighbours: 0, 31, 5, 6, 17, 2, 30, 12.
    const pages = [0, 31, 5, 6, 17, 2, 30, 12];
    const heads = pages.map((p) => (Math.imul(p + 1, 0x9e3779b1) ^ 0x5bd1e995) | 0);
    heads[3] = -1;
    heads[6] = 0x80000000 | 0;
    expect(pages.length).toBe(PAGES_PER_CALL);
    const [a0, a1, a2, a3, a4, a5, a6, a7] = pages.map((p) => p * 4096);
    const [h0, h1, h2, h3, h4, h5, h6, h7] = heads;
    backing.generate(a0, a1, a2, a3, a4, a5, a6, a7, h0, h1, h2, h3, h4, h5, h6, h7);
    for (let p = 0; p < 32; p++) {
      const at = pages.indexOf(p);
      const want = at < 0 ? new Int32Array(1024) : scalarRun(heads[at]);
      const got = words.slice(p * 1024, (p + 1) * 1024);
      expect(Buffer.compare(Buffer.from(got.buffer), Buffer.from(want.buffer)), `page ${p}`).toBe(0);
    }
  });

  it('gives no backing past 32-bit WebAssembly memory', () => {
    expect(simdBacking(4 * 1024 ** 3)).toBeNull();
  });
});
