import { describe, expect, it } from 'vitest';
import { XEN_WORST_DELTA_BYTES, xenEncodeDelta } from '../codec/xenDelta';
import { GuestMemory, PAGE_SIZE, PAGE_WORDS } from '../hw/guestMemory';
import { MemoryHistory } from '../hw/memoryHistory';
import { Prng } from '../kernel/prng';
import { deltaIsSmall } from './apply';
import { PageStore } from './pageStore';
import { SMALL_DIFF_BYTES } from './strategies/feedback';

function source(pages: number): GuestMemory {
  const m = new GuestMemory(pages);
  m.fillFromSeed(1, Prng.stream(7, 'fill'));
  return m;
}

/** Store `count` pages of `m` after changing a word of each, and the bytes each slot must hold. */
function stageSome(store: PageStore, m: GuestMemory, prng: Prng, count: number): Map<number, Uint8Array> {
  const held = new Map<number, Uint8Array>();
  for (let i = 0; i < count; i++) {
    const p = prng.nextInt(m.pages);
    m.write(p, prng.nextInt(PAGE_WORDS), Uint32Array.of(prng.nextU32()));
    held.set(store.copyPage(m, p), m.page(p).slice());
  }
  return held;
}

/** Slots of `held` whose bytes differ from what they must hold. */
function wrongSlots(store: PageStore, held: Map<number, Uint8Array>): number[] {
  const wrong: number[] = [];
  for (const [slot, bytes] of held) if (!sameBytes(store.page(slot), bytes)) wrong.push(slot);
  return wrong;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  const x = new Int32Array(a.buffer, a.byteOffset, a.length >> 2);
  const y = new Int32Array(b.buffer, b.byteOffset, b.length >> 2);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return x.length === y.length;
}

describe('PageStore (staging buffers kept through the keyframe keeper)', () => {
  it('a released slot is taken again; slots never overlap while held', () => {
    const store = new PageStore();
    const m = source(8);
    const a = store.copyPages(m, Int32Array.of(0, 1, 2));
    store.release(a.subarray(1, 2));
    const b = store.copyPage(m, 5);
    expect(b).toBe(a[1]);
    expect(store.held).toBe(3);
    expect(sameBytes(store.page(a[0]), m.page(0))).toBe(true);
    expect(sameBytes(store.page(b), m.page(5))).toBe(true);
  });

  it('restored through a MemoryHistory to an older keyframe, after growing and reusing slots, holds that keyframe bytes', () => {
    const prng = Prng.stream(3, 'store');
    const keeper = new MemoryHistory();
    const m = source(4096);
    const store = new PageStore();
    const first = stageSome(store, m, prng, 1500);
    keeper.beginKeyframe(1);
    const snap = store.snapshot(keeper);
    // Past the keyframe: give some slots back, take them again and grow into new segments.
    store.release(Int32Array.from([...first.keys()].slice(0, 700)));
    stageSome(store, m, prng, 3000);
    keeper.beginKeyframe(2);
    const later = store.snapshot(keeper);
    stageSome(store, m, prng, 200);
    store.restore(snap, keeper);
    expect(wrongSlots(store, first)).toEqual([]);
    expect(store.held).toBe(1500);
    // Forwards again to the later keyframe, then on from the older one with slots taken anew.
    store.restore(later, keeper);
    expect(store.held).toBe(800 + 3000);
    store.restore(snap, keeper);
    const again = stageSome(store, m, prng, 2000);
    expect(wrongSlots(store, again)).toEqual([]);
    for (const slot of again.keys()) first.delete(slot);
    expect(wrongSlots(store, first)).toEqual([]);
  });
});

describe('the backup feedback verdict counted without encoding', () => {
  it('agrees with the Xen encoder on pages around the quarter-page threshold', () => {
    const prng = Prng.stream(11, 'verdict');
    const out = new Uint8Array(XEN_WORST_DELTA_BYTES);
    let small = 0;
    for (let t = 0; t < 3000; t++) {
      const old = new Uint32Array(PAGE_WORDS).map(() => prng.nextU32());
      const next = old.slice();
      // Enough changed words to land near SMALL_DIFF_BYTES (about 250 words), in runs of varied length.
      const target = 200 + prng.nextInt(100);
      for (let changed = 0; changed < target; ) {
        const at = prng.nextInt(PAGE_WORDS);
        const len = 1 + prng.nextInt(prng.nextInt(2) ? 4 : 130);
        for (let k = at; k < Math.min(PAGE_WORDS, at + len); k++, changed++) next[k] = ~old[k];
      }
      const nextBytes = new Uint8Array(next.buffer);
      const encoded = xenEncodeDelta(new Uint8Array(old.slice().buffer), nextBytes, out, 0);
      expect(deltaIsSmall(old, nextBytes)).toBe(encoded < SMALL_DIFF_BYTES);
      if (encoded < SMALL_DIFF_BYTES) small++;
    }
    expect(small).toBeGreaterThan(300);
    expect(small).toBeLessThan(2700);
    expect(deltaIsSmall(new Uint32Array(PAGE_WORDS), new Uint8Array(PAGE_SIZE))).toBe(true);
  });
});
