import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventQueue } from './eventQueue';

describe('EventQueue', () => {
  it('pops by time, and events at the same time in the order they were scheduled', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 300 }), (times) => {
        const q = new EventQueue();
        times.forEach((t, i) => {
          q.push(t, { type: 'e', i });
        });
        const popped: number[] = [];
        for (let e = q.pop(); e; e = q.pop()) popped.push(e.event.i as number);
        const expected = times.map((t, i) => ({ t, i })).sort((a, b) => a.t - b.t || a.i - b.i);
        expect(popped).toEqual(expected.map((x) => x.i));
      }),
    );
  });

  it('keeps the order across interleaved pushes and pops', () => {
    const q = new EventQueue();
    q.push(5, { type: 'a' });
    q.push(5, { type: 'b' });
    q.push(1, { type: 'c' });
    expect(q.pop()?.event.type).toBe('c');
    q.push(5, { type: 'd' });
    q.push(3, { type: 'e' });
    expect([q.pop(), q.pop(), q.pop(), q.pop()].map((x) => x?.event.type)).toEqual(['e', 'a', 'b', 'd']);
    expect(q.pop()).toBeUndefined();
  });

  it('snapshot and restore give back the same future', () => {
    const q = new EventQueue();
    for (let i = 0; i < 50; i++) q.push((i * 7) % 13, { type: 'x', i });
    const snap = q.snapshot();
    const first = Array.from({ length: 50 }, () => q.pop()?.event.i);
    q.restore(snap);
    const second = Array.from({ length: 50 }, () => q.pop()?.event.i);
    expect(second).toEqual(first);
  });
});
