import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Prng } from '../kernel/prng';
import { GuestMemory, PAGE_WORDS } from './guestMemory';
import { MemoryHistory } from './memoryHistory';

const PAGES = 64;

function freshMemory(): GuestMemory {
  const m = new GuestMemory(PAGES);
  m.fillFromSeed(0.5, Prng.stream(99, 'fill'));
  return m;
}

/** Apply one batch of guest writes drawn from a PRNG stream. */
function scribble(m: GuestMemory, prng: Prng, writes: number): void {
  const data = new Uint32Array(4);
  for (let i = 0; i < writes; i++) {
    data.fill(prng.nextU32());
    m.write(prng.nextInt(PAGES), prng.nextInt(PAGE_WORDS - 4), data);
  }
}

describe('MemoryHistory: page-level keyframes', () => {
  it('loading keyframe k gives back the bytes the memory had at k, after any later saves and writes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 8 }),
        fc.nat(),
        fc.integer({ min: 0, max: 40 }),
        (batches, pick, trailing) => {
          const m = freshMemory();
          const history = new MemoryHistory();
          const prng = Prng.stream(7, 'writes');
          const copies: Uint8Array[] = [];
          const tokens: unknown[] = [];
          batches.forEach((writes, k) => {
            scribble(m, prng, writes);
            history.beginKeyframe(k);
            tokens.push(history.save(m));
            copies.push(m.bytes.slice());
          });
          scribble(m, prng, trailing);
          const k = pick % batches.length;
          history.load(m, tokens[k]);
          expect(Buffer.compare(m.bytes, copies[k])).toBe(0);
          expect(m.touched.isEmpty()).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('stores only the pages touched since the last save', () => {
    const m = freshMemory();
    const history = new MemoryHistory();
    history.beginKeyframe(0);
    history.save(m);
    expect(history.bytes).toBe(0);
    const data = new Uint32Array([1, 2, 3]);
    m.write(3, 0, data);
    m.write(3, 10, data);
    m.write(9, 0, data);
    history.beginKeyframe(1);
    history.save(m);
    expect(history.bytes).toBe(2 * 4096);
  });

  it('a page never saved is rebuilt from the seed it was filled from', () => {
    const m = freshMemory();
    const original = m.bytes.slice();
    const history = new MemoryHistory();
    history.beginKeyframe(0);
    const token = history.save(m);
    m.write(5, 0, new Uint32Array([0xdeadbeef]));
    m.zeroPage(6);
    history.load(m, token);
    expect(Buffer.compare(m.bytes, original)).toBe(0);
  });
});
