import { PAGE_WORDS } from '../hw/guestMemory';

/**
 * The 32-bit xorshift (13, 17, 5) run the guest writes, about twice as fast as stepping it word
 * by word: each step depends on the one before, so one chain keeps the CPU waiting. The run is
 * cut into four lanes whose first states are found by jumping ahead (xorshift is linear over
 * GF(2), so a jump of n steps is a fixed 32x32 bit matrix, applied here as four byte tables),
 * and the lanes are stepped side by side. The words are exactly those of the plain loop.
 */

/** out[k] = the (k+1)th state after `seed` (the first word is one step past the seed), as the plain loop gives. */
export function fillXorshift(out: Uint32Array, seed: number): void {
  const lane = out.length >>> 2;
  if (lane < 8) {
    stepInto(out, 0, out.length, seed);
    return;
  }
  const tables = jumpTables(lane);
  let a = seed | 0;
  let b = jump(tables, 0, a);
  let c = jump(tables, 1, a);
  let d = jump(tables, 2, a);
  const l2 = lane * 2;
  const l3 = lane * 3;
  for (let k = 0; k < lane; k++) {
    a ^= a << 13;
    a ^= a >>> 17;
    a ^= a << 5;
    b ^= b << 13;
    b ^= b >>> 17;
    b ^= b << 5;
    c ^= c << 13;
    c ^= c >>> 17;
    c ^= c << 5;
    d ^= d << 13;
    d ^= d >>> 17;
    d ^= d << 5;
    out[k] = a;
    out[k + lane] = b;
    out[k + l2] = c;
    out[k + l3] = d;
  }
  stepInto(out, lane * 4, out.length, d);
}

/** Module-level, so V8 knows its length and drops the bounds checks (a third faster than an array passed in). */
const pageOut = new Uint32Array(PAGE_WORDS);

/**
 * The run for a whole 4 KiB page (the common write) in a buffer shared by every caller: valid
 * until the next call, so copy it out before calling again.
 */
export function xorshiftPage(seed: number): Uint32Array {
  const tables = jumpTables(PAGE_WORDS / 4);
  let a = seed | 0;
  let b = jump(tables, 0, a);
  let c = jump(tables, 1, a);
  let d = jump(tables, 2, a);
  for (let k = 0; k < 256; k++) {
    a ^= a << 13;
    a ^= a >>> 17;
    a ^= a << 5;
    b ^= b << 13;
    b ^= b >>> 17;
    b ^= b << 5;
    c ^= c << 13;
    c ^= c >>> 17;
    c ^= c << 5;
    d ^= d << 13;
    d ^= d >>> 17;
    d ^= d << 5;
    pageOut[k] = a;
    pageOut[k + 256] = b;
    pageOut[k + 512] = c;
    pageOut[k + 768] = d;
  }
  return pageOut;
}

function stepInto(out: Uint32Array, from: number, to: number, state: number): void {
  let x = state;
  for (let k = from; k < to; k++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[k] = x;
  }
}

/** For a lane length n: byte tables jumping n, 2n and 3n steps, 4 x 256 words each. */
const tablesByLane = new Map<number, Uint32Array>();

function jumpTables(lane: number): Uint32Array {
  let tables = tablesByLane.get(lane);
  if (tables) return tables;
  tables = new Uint32Array(3 * 1024);
  // The image of each single bit after n, 2n, 3n steps: the columns of the jump matrices.
  const column = new Uint32Array(32);
  for (let bit = 0; bit < 32; bit++) column[bit] = 1 << bit;
  for (let t = 0; t < 3; t++) {
    for (let bit = 0; bit < 32; bit++) {
      let x = column[bit];
      for (let s = 0; s < lane; s++) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
      }
      column[bit] = x;
    }
    for (let byte = 0; byte < 4; byte++) {
      const base = t * 1024 + byte * 256;
      for (let v = 1; v < 256; v++) {
        const low = 31 - Math.clz32(v & -v);
        tables[base + v] = tables[base + (v & (v - 1))] ^ column[byte * 8 + low];
      }
    }
  }
  tablesByLane.set(lane, tables);
  return tables;
}

function jump(tables: Uint32Array, which: number, x: number): number {
  const base = which * 1024;
  return (
    tables[base + (x & 255)] ^
    tables[base + 256 + ((x >>> 8) & 255)] ^
    tables[base + 512 + ((x >>> 16) & 255)] ^
    tables[base + 768 + (x >>> 24)]
  );
}
