import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Prng } from '../kernel/prng';
import { MemoryWriter } from '../workloads/memoryWriter';
import { GuestMemory, PAGE_WORDS } from './guestMemory';
import { MemoryHistory } from './memoryHistory';
import { decodePage, encodePage, MAX_ENCODED_INTS, RAW, RunFiller } from './pageRuns';

const PAGES = 64;
const scratchPage = new Int32Array(PAGE_WORDS);

function freshMemory(): GuestMemory {
  const m = new GuestMemory(PAGES);
  m.fillFromSeed(0.5, Prng.stream(99, 'fill'));
  return m;
}

/** One batch of writes drawn from a PRNG stream: xorshift-run writes, arbitrary words, whole pages, zeroed pages. */
function scribble(m: GuestMemory, prng: Prng, writes: number): void {
  for (let i = 0; i < writes; i++) {
    const page = prng.nextInt(PAGES);
    switch (prng.nextInt(4)) {
      case 0: {
        const data = new Uint32Array(1 + prng.nextInt(16)).map(() => prng.nextU32());
        m.write(page, prng.nextInt(PAGE_WORDS - data.length + 1), data);
        break;
      }
      case 1:
        m.zeroPage(page);
        break;
      case 2: {
        const bytes = new Uint8Array(4096).map(() => prng.nextU32() & 0xff);
        m.installPage(page, bytes);
        break;
      }
      default: {
        const data = new Uint32Array(4);
        data.fill(prng.nextU32());
        m.write(page, prng.nextInt(PAGE_WORDS - 4), data);
      }
    }
  }
}

describe('pageRuns: the keyframe page codec', () => {
  it('round-trips any page exactly, whether made of xorshift runs, arbitrary words or zeros', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.array(fc.tuple(fc.nat(PAGE_WORDS - 1), fc.integer(), fc.boolean())),
        (seed, patches) => {
          const m = new GuestMemory(2);
          m.fillFromSeed(1, Prng.stream(seed, 'p'));
          for (const [at, value, run] of patches) {
            const data = new Uint32Array(Math.min(8, PAGE_WORDS - at));
            let x = value | 1;
            for (let k = 0; k < data.length; k++) {
              if (run) {
                x ^= x << 13;
                x ^= x >>> 17;
                x ^= x << 5;
              } else x = Math.imul(x, 0x9e3779b1) + k;
              data[k] = x;
            }
            m.write(0, at, data);
          }
          const code = new Int32Array(MAX_ENCODED_INTS);
          const used = encodePage(m.ints, 0, code, 0);
          m.installPage(1, new Uint8Array(4096).fill(0xa5));
          decodePage(code, 0, m.ints, PAGE_WORDS);
          expect(Buffer.compare(m.page(1), m.page(0))).toBe(0);
          expect(used).toBeLessThanOrEqual(MAX_ENCODED_INTS);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("stores a seeded page, a zero page and a page the guest's writer rewrote in 3 ints each", () => {
    const m = new GuestMemory(3);
    m.fillFromSeed(1, Prng.stream(1, 'fill'));
    m.zeroPage(1);
    const writer = new MemoryWriter(
      { kind: 'sweep', dirtyMiBps: 1, workingSetFraction: 1, hotFraction: 1, hotShare: 1, writeBytes: 4096 },
      3,
      Prng.stream(1, 'w'),
    );
    const sink = {
      touch: (p: number, off: number, data: Uint32Array) => {
        if (p === 2) m.write(p, off, data);
        return true;
      },
    };
    writer.advance(1e9, 1, sink);
    const code = new Int32Array(MAX_ENCODED_INTS);
    for (const p of [0, 1, 2]) expect(encodePage(m.ints, p * PAGE_WORDS, code, 0)).toBe(3);
  });

  it('writes queued single runs, in batches or alone, as the decoder does', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.integer().filter((h) => h !== 0),
          { minLength: 1, maxLength: 40 },
        ),
        (heads) => {
          const decoded = new GuestMemory(heads.length);
          heads.forEach((h, i) => {
            decodePage(Int32Array.of(1, 0, h), 0, decoded.ints, i * PAGE_WORDS);
          });
          // WebAssembly SIMD, and the JavaScript loops used where it is missing.
          for (const simd of [true, false]) {
            // At least 64 KiB: smaller memories are plain ArrayBuffers, written by the JavaScript loops.
            const filled = new GuestMemory(Math.max(16, heads.length));
            expect(filled.simdInPlace).toBe(true);
            const filler = simd ? filled.runFiller() : new RunFiller(filled.ints, null);
            heads.forEach((h, i) => {
              filler.add(i * PAGE_WORDS, h);
            });
            filler.flush();
            expect(Buffer.compare(filled.bytes.subarray(0, decoded.byteLength), decoded.bytes)).toBe(0);
            expect(filled.bytes.subarray(decoded.byteLength).every((b) => b === 0)).toBe(true);
          }
        },
      ),
      { numRuns: 50 },
    );
  });

  it('writes encoded pages, patched or rewritten, as the decoder does', () => {
    // A page: its fill's run, then patches (a run of some length from some head, or zeros).
    const patch = fc.record({
      start: fc.nat(PAGE_WORDS - 1),
      length: fc.integer({ min: 1, max: 600 }),
      head: fc.integer(),
    });
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ head: fc.integer().filter((h) => h !== 0), patches: fc.array(patch, { maxLength: 12 }) }),
          {
            minLength: 1,
            maxLength: 20,
          },
        ),
        (pages) => {
          const source = new GuestMemory(16);
          const words = source.ints;
          pages.forEach(({ head, patches }, i) => {
            decodePage(Int32Array.of(1, 0, head), 0, words, i * PAGE_WORDS);
            for (const { start, length, head: h } of patches) {
              const end = Math.min(PAGE_WORDS, start + length);
              decodePage(Int32Array.of(2, 0, 0, start, h), 0, scratchPage, 0);
              words.set(scratchPage.subarray(start, end), i * PAGE_WORDS + start);
            }
          });
          const code = new Int32Array(pages.length * MAX_ENCODED_INTS);
          const at: number[] = [];
          let used = 0;
          pages.forEach((_, i) => {
            at.push(used);
            used = encodePage(words, i * PAGE_WORDS, code, used);
          });
          for (const simd of [true, false]) {
            const filled = new GuestMemory(16);
            const filler = simd ? filled.runFiller() : new RunFiller(filled.ints, null);
            pages.forEach((_, i) => {
              const runs = code[at[i]];
              if (runs === RAW || code[at[i] + 2] === 0) decodePage(code, at[i], filled.ints, i * PAGE_WORDS);
              else filler.addEncoded(i * PAGE_WORDS, code, at[i]);
            });
            filler.flush();
            expect(Buffer.compare(filled.bytes, source.bytes)).toBe(0);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('stores a page of arbitrary words raw', () => {
    const m = new GuestMemory(1);
    m.installPage(
      0,
      new Uint8Array(4096).map((_, i) => (i * 131) & 0xff),
    );
    const code = new Int32Array(MAX_ENCODED_INTS);
    expect(encodePage(m.ints, 0, code, 0)).toBe(1 + PAGE_WORDS);
    expect(code[0]).toBe(RAW);
  });
});

describe('MemoryHistory: page-level keyframes', () => {
  it('any sequence of saves, loads (back and forth), replays and writes gives the bytes each keyframe had', () => {
    // Ops: a number n >= 0 writes n times then saves a keyframe; -1 - k loads keyframe k (if any);
    // replaying after a load is modelled by rewriting what was written then ('reached').
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: 0, max: 30 }), fc.integer({ min: -8, max: -1 })), {
          minLength: 1,
          maxLength: 16,
        }),
        fc.integer({ min: 0, max: 30 }),
        (ops, trailing) => {
          const m = freshMemory();
          const history = new MemoryHistory();
          const prng = Prng.stream(7, 'writes');
          const copies: Uint8Array[] = [];
          let at = -1;
          for (const op of ops) {
            if (op >= 0) {
              // Past the newest keyframe: replay the rest of history first (as the session does).
              for (let k = at + 1; k < copies.length; k++) {
                m.bytes.set(copies[k]);
                history.reached(k);
              }
              scribble(m, prng, op);
              history.beginKeyframe(copies.length);
              history.save(m);
              copies.push(m.bytes.slice());
              at = copies.length - 1;
            } else if (copies.length) {
              const k = (-1 - op) % copies.length;
              scribble(m, prng, trailing % 7);
              history.load(m, k);
              expect(Buffer.compare(m.bytes, copies[k])).toBe(0);
              expect(m.touched.isEmpty()).toBe(true);
              at = k;
            }
          }
          scribble(m, prng, trailing);
          for (let k = copies.length - 1; k >= 0; k--) {
            history.load(m, k);
            expect(Buffer.compare(m.bytes, copies[k])).toBe(0);
          }
        },
      ),
      { numRuns: 80 },
    );
  });

  it('a save after replaying from an older keyframe without passing the newer ones still stores their changes', () => {
    const m = freshMemory();
    const history = new MemoryHistory();
    history.beginKeyframe(0);
    history.save(m);
    m.write(3, 0, new Uint32Array([1, 2, 3]));
    history.beginKeyframe(1);
    history.save(m);
    history.load(m, 0);
    m.write(4, 0, new Uint32Array([4]));
    const expected = m.bytes.slice();
    history.beginKeyframe(2);
    history.save(m);
    m.write(5, 0, new Uint32Array([5]));
    history.load(m, 2);
    expect(Buffer.compare(m.bytes, expected)).toBe(0);
  });

  it('stores only the pages touched since the last save, as runs', () => {
    const m = freshMemory();
    const history = new MemoryHistory();
    history.beginKeyframe(0);
    history.save(m);
    const base = history.bytes;
    const data = new Uint32Array([1, 2, 3]);
    m.write(3, 0, data);
    m.write(3, 10, data);
    m.write(9, 0, data);
    history.beginKeyframe(1);
    history.save(m);
    expect(history.stats().pageVersions).toBe(2);
    expect(history.bytes - base).toBeLessThan(2 * 4096);
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

  it('a destination restored by copying its source peer gets the same bytes as one restored alone', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(40), { minLength: 2, maxLength: 6 }), fc.nat(), (batches, pick) => {
        const source = freshMemory();
        const dest = new GuestMemory(PAGES);
        const history = new MemoryHistory();
        const prng = Prng.stream(11, 'copies');
        const copies: [Uint8Array, Uint8Array][] = [];
        batches.forEach((writes, k) => {
          scribble(source, prng, writes);
          // The destination takes some source pages as they are now (a migration's copies).
          for (let i = 0; i < writes; i++) {
            const p = prng.nextInt(PAGES);
            dest.installPage(p, source.page(p));
          }
          history.beginKeyframe(k);
          history.save(source);
          history.save(dest);
          copies.push([source.bytes.slice(), dest.bytes.slice()]);
        });
        scribble(source, prng, 20);
        for (const k of [pick % batches.length, batches.length - 1, 0]) {
          history.load(source, k);
          history.load(dest, k);
          expect(Buffer.compare(source.bytes, copies[k][0])).toBe(0);
          expect(Buffer.compare(dest.bytes, copies[k][1])).toBe(0);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('loads left unwritten until a memory is read give the same bytes, whatever is read, replayed, saved or dropped meanwhile', () => {
    // Three memories of one size (peers of each other), as a source, a destination and a backup.
    // Ops: write to one; copy pages between two; save all (a keyframe); load all to keyframe k and
    // read only some (the others stay unwritten); replay to the newest keyframe, touching only the
    // memories that change on the way (as a run does).
    const op = fc.oneof(
      fc.record({ kind: fc.constant('write' as const), m: fc.nat(2), n: fc.nat(12) }),
      fc.record({ kind: fc.constant('copy' as const), from: fc.nat(2), to: fc.nat(2), n: fc.nat(12) }),
      fc.record({ kind: fc.constant('save' as const) }),
      fc.record({ kind: fc.constant('load' as const), k: fc.nat(), read: fc.nat(7) }),
      fc.record({ kind: fc.constant('replay' as const) }),
    );
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 24 }), (ops) => {
        const mems = [freshMemory(), new GuestMemory(PAGES), freshMemory()];
        const history = new MemoryHistory();
        const prng = Prng.stream(13, 'lazy');
        const copies: Uint8Array[][] = [];
        let at = -1;
        // Written to since keyframe `at`: the run has left the recorded history (the session then drops the rest).
        let diverged = false;
        const expectAt = (k: number, which: number[]) => {
          for (const i of which) expect(Buffer.compare(mems[i].bytes, copies[k][i]), `memory ${i} at ${k}`).toBe(0);
        };
        const replay = () => {
          for (let k = at + 1; k < copies.length; k++) {
            mems.forEach((m, i) => {
              if (Buffer.compare(copies[k][i], copies[k - 1][i]) !== 0) m.bytes.set(copies[k][i]);
            });
            history.reached(k);
          }
          at = copies.length - 1;
        };
        for (const o of ops) {
          if (o.kind === 'write' || o.kind === 'copy') {
            if (o.kind === 'write') scribble(mems[o.m], prng, o.n);
            else
              for (let i = 0; i < o.n; i++) {
                const p = prng.nextInt(PAGES);
                mems[o.to].installPage(p, mems[o.from].page(p));
              }
            diverged = true;
          }
          if (o.kind === 'replay' && !diverged) replay();
          if (o.kind === 'save') {
            if (diverged && at < copies.length - 1) {
              history.dropAfter(at);
              copies.length = at + 1;
            }
            if (!diverged) replay();
            history.beginKeyframe(copies.length);
            for (const m of mems) history.save(m);
            copies.push(mems.map((m) => m.bytes.slice()));
            at = copies.length - 1;
            diverged = false;
          }
          if (o.kind === 'load' && copies.length) {
            const k = o.k % copies.length;
            for (const m of mems) history.load(m, k);
            at = k;
            diverged = false;
            // Read only the memories named by the bits of `read`; the others keep their pages pending.
            expectAt(
              k,
              [0, 1, 2].filter((i) => o.read & (1 << i)),
            );
          }
        }
        for (let k = copies.length - 1; k >= 0; k--) {
          for (const m of mems) history.load(m, k);
          expectAt(k, [2, 0, 1]);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('does not copy a page from a peer that was written since the keyframe', () => {
    const a = freshMemory();
    const b = freshMemory(); // the same fill: every page is a copy of a's
    const p = Array.from({ length: PAGES }, (_, i) => i).find((i) => a.baseHead(i) !== 0) ?? 0;
    const history = new MemoryHistory();
    history.beginKeyframe(0);
    history.save(a);
    history.save(b);
    const original = b.bytes.slice();
    b.write(p, 0, Uint32Array.of(1));
    history.load(b, 0); // page p is now pending, and a's page p would do...
    a.write(p, 0, Uint32Array.of(7)); // ...until a is written
    expect(Buffer.compare(b.bytes, original)).toBe(0);
  });

  it('dropping later keyframes keeps the earlier ones loadable', () => {
    const m = freshMemory();
    const history = new MemoryHistory();
    const prng = Prng.stream(3, 'w');
    const copies: Uint8Array[] = [];
    for (let k = 0; k < 4; k++) {
      scribble(m, prng, 10);
      history.beginKeyframe(k);
      history.save(m);
      copies.push(m.bytes.slice());
    }
    history.dropAfter(1);
    scribble(m, prng, 10);
    history.load(m, 0);
    expect(Buffer.compare(m.bytes, copies[0])).toBe(0);
    history.load(m, 1);
    expect(Buffer.compare(m.bytes, copies[1])).toBe(0);
  });
});
