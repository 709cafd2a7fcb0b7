import { describe, expect, it } from 'vitest';
import { Prng } from './prng';

const take = (p: Prng, n: number) => Array.from({ length: n }, () => p.nextU32());

describe('Prng streams', () => {
  it('the same seed and name give the same stream', () => {
    expect(take(Prng.stream(42, 'vm:a/workload'), 100)).toEqual(take(Prng.stream(42, 'vm:a/workload'), 100));
  });

  it('another name or another seed gives another stream', () => {
    const base = take(Prng.stream(42, 'vm:a/workload'), 20);
    expect(take(Prng.stream(42, 'vm:b/workload'), 20)).not.toEqual(base);
    expect(take(Prng.stream(43, 'vm:a/workload'), 20)).not.toEqual(base);
  });

  it('a saved state continues the stream exactly', () => {
    const p = Prng.stream(1, 'x');
    take(p, 10);
    const state = p.getState();
    const next = take(p, 10);
    const q = Prng.stream(999, 'other');
    q.setState(state);
    expect(take(q, 10)).toEqual(next);
  });

  it('is roughly uniform', () => {
    const p = Prng.stream(7, 'uniform');
    const buckets = new Array(10).fill(0);
    for (let i = 0; i < 100_000; i++) buckets[p.nextInt(10)]++;
    for (const b of buckets) expect(Math.abs(b - 10_000)).toBeLessThan(500);
  });
});
