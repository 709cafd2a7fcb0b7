import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SimSnapshot } from '../engine/kernel/simulation';
import { packSnapshot, unpackSnapshot } from './keyframePacking';

function xorshiftBytes(words: number, seed: number): Uint8Array {
  const out = new Int32Array(words);
  let x = seed | 1;
  for (let k = 0; k < words; k++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[k] = x;
  }
  return new Uint8Array(out.buffer);
}

function snapshotWith(components: Record<string, unknown>, logLength = 0): SimSnapshot {
  return {
    now: 5,
    eventIndex: 7,
    queue: { items: [], seq: 0 } as unknown as SimSnapshot['queue'],
    trace: [1, 2],
    log: Array.from({ length: logLength }, (_, i) => ({
      index: i,
      timeNs: i,
      kind: 'k',
      subject: 's',
      text: `line ${i}`,
      level: 'info' as const,
    })),
    phases: [],
    finished: false,
    finishReason: '',
    components,
  };
}

describe('keyframePacking: snapshots besides memory', () => {
  it('unpacks exactly what was packed, with or without a previous keyframe to share blocks with', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 5000 }),
        fc.integer(),
        fc.array(fc.nat(4999), { maxLength: 20 }),
        fc.nat(3),
        (raw, seed, edits, offset) => {
          const page = xorshiftBytes(2048, seed);
          const stamps = new Int32Array(3000).fill(-1);
          const chunks = [{ id: 3, data: page.subarray(offset), pages: new Int32Array([1, 2]) }];
          const first = snapshotWith({ a: { raw, stamps, n: 1, s: 'x', chunks } }, 4);
          const p1 = packSnapshot(first, undefined);
          const raw2 = raw.slice();
          for (const e of edits) if (raw2.length) raw2[e % raw2.length] ^= 1;
          const stamps2 = stamps.slice();
          stamps2[edits[0] ?? 0] = 9;
          const second = snapshotWith({ a: { raw: raw2, stamps: stamps2, n: 2, s: 'y', chunks } }, 6);
          const p2 = packSnapshot(second, p1);
          const log = second.log;
          expect(unpackSnapshot(p1, log)).toEqual({ ...first, log: log.slice(0, 4) });
          expect(unpackSnapshot(p2, log)).toEqual(second);
          // Sharing: the second keyframe costs less than the first where little changed.
          if (edits.length === 0) expect(p2.bytes).toBeLessThan(p1.bytes);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('keeps a chunk of page bytes as runs: far smaller than its bytes', () => {
    const data = xorshiftBytes(64 * 1024, 77);
    const packed = packSnapshot(snapshotWith({ chunks: [{ id: 1, data }] }), undefined);
    expect(packed.bytes).toBeLessThan(data.length / 8);
  });

  it('refuses what it cannot copy faithfully', () => {
    expect(() => packSnapshot(snapshotWith({ m: new Map() }), undefined)).toThrow(/Map/);
  });
});
