import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodePage, decodeWords, encodeWords, RAW } from './pageRuns';

/** The plain decoder: each run in turn, one dependent xorshift step per word. */
function referenceDecode(code: Int32Array, words: Int32Array, offset: number, length: number): void {
  const n = code[0];
  if (n === RAW) {
    for (let k = 0; k < length; k++) words[offset + k] = code[1 + k];
    return;
  }
  for (let r = 0; r < n; r++) {
    const start = offset + code[1 + 2 * r];
    const end = r + 1 < n ? offset + code[3 + 2 * r] : offset + length;
    let x = code[2 + 2 * r];
    for (let k = start; k < end; k++) {
      words[k] = x;
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
    }
  }
}

const head = fc.oneof(fc.constant(0), fc.integer({ min: -4, max: 4 }), fc.integer());

/** A code for `length` words: run starts (0 first, increasing; runs of length 1 are frequent) and heads, or RAW. */
const code = fc.integer({ min: 1, max: 1024 }).chain((length) =>
  fc.oneof(
    fc.array(fc.integer(), { minLength: length, maxLength: length }).map((raw) => ({
      length,
      code: Int32Array.from([RAW, ...raw]),
    })),
    fc
      .tuple(
        length === 1 ? fc.constant([]) : fc.uniqueArray(fc.integer({ min: 1, max: length - 1 }), { maxLength: 60 }),
        fc.boolean(),
      )
      .chain(([cuts, adjacent]) => {
        // Adjacent cuts make many runs of length 1.
        const starts = [0, ...(adjacent ? cuts.map((c) => Math.min(c, 40, length - 1)) : cuts)];
        const sorted = [...new Set(starts)].sort((a, b) => a - b);
        return fc.array(head, { minLength: sorted.length, maxLength: sorted.length }).map((heads) => ({
          length,
          code: Int32Array.from([sorted.length, ...sorted.flatMap((s, r) => [s, heads[r]])]),
        }));
      }),
  ),
);

const SENTINEL = 0x5a5a5a5a;

describe('pageRuns decoder', () => {
  it('writes the same words as the plain scalar decoder, and nothing outside its range', () => {
    fc.assert(
      fc.property(code, fc.integer({ min: 0, max: 8 }), ({ length, code }, offset) => {
        const expected = new Int32Array(offset + length + 8).fill(SENTINEL);
        const actual = expected.slice();
        referenceDecode(code, expected, offset, length);
        decodeWords(code, 0, actual, offset, length);
        expect(actual).toEqual(expected);
      }),
      { numRuns: 400 },
    );
  });

  it('decodes a code found after others in the same array', () => {
    fc.assert(
      fc.property(code, fc.integer({ min: 0, max: 20 }), ({ length, code }, at) => {
        const shifted = new Int32Array(at + code.length).fill(7);
        shifted.set(code, at);
        const expected = new Int32Array(length);
        const actual = new Int32Array(length);
        referenceDecode(code, expected, 0, length);
        decodeWords(shifted, at, actual, 0, length);
        expect(actual).toEqual(expected);
      }),
      { numRuns: 100 },
    );
  });

  it('round-trips pages patched by up to 500 runs (the most a page is stored as)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.integer(), (runs, seed) => {
        const page = new Int32Array(1024);
        let s = seed | 1;
        const next = () => {
          s ^= s << 13;
          s ^= s >>> 17;
          s ^= s << 5;
          return s;
        };
        // Runs of random lengths, some zero-headed: each word is the xorshift of the previous unless a run starts.
        let x = next();
        for (let k = 0; k < 1024; k++) {
          if (k > 0 && (next() >>> 0) % 1024 < runs) x = (next() & 7) === 0 ? 0 : next();
          page[k] = x;
          x ^= x << 13;
          x ^= x >>> 17;
          x ^= x << 5;
        }
        const encoded = new Int32Array(1025);
        encodeWords(page, 0, 1024, encoded, 0);
        const decoded = new Int32Array(1024);
        decodePage(encoded, 0, decoded, 0);
        expect(decoded).toEqual(page);
      }),
      { numRuns: 200 },
    );
  });
});
