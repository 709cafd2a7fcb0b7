import { describe, expect, it } from 'vitest';
import { migrate } from './fixtures';

const MiB = 2 ** 20;

/** The pre-copy model of the issue: rounds of T = remaining / B, each dirtying min(D T, W). */
function model(M: number, B: number, D: number, W: number, L: number, maxRounds: number) {
  let remaining = M;
  let t = 0;
  let rounds = 0;
  do {
    const T = remaining / B;
    t += T;
    remaining = Math.min(D * T, W);
    rounds += 1;
  } while (remaining > B * L && rounds < maxRounds);
  const downtime = remaining / B;
  return { totalMs: (t + downtime) * 1000, downtimeMs: downtime * 1000, rounds, remaining, threshold: B * L };
}

const within = (actual: number, expected: number, tolerance: number) =>
  expected === 0 ? Math.abs(actual) < 0.01 : Math.abs(actual / expected - 1) < tolerance;

// [memory MiB, bandwidth MiB/s, dirty rate as a fraction of bandwidth, working set fraction, downtime limit ms]
const CASES: [number, number, number, number, number][] = [
  [256, 128, 0, 1, 300],
  [256, 32, 0.1, 1, 300],
  [256, 128, 0.3, 1, 300],
  [256, 128, 0.6, 1, 30],
  [256, 32, 0.95, 0.25, 300],
  [512, 64, 0.9, 0.5, 300],
  [512, 256, 0.5, 1, 100],
  [512, 1250, 0.8, 0.5, 10],
  [1024, 1250, 0.5, 1, 300],
  [1024, 100, 0.75, 0.3, 200],
  [2048, 1250, 0.2, 1, 300],
  [2048, 512, 0.9, 0.1, 50],
];

describe('pre-copy agrees with the closed form (sweep, zero latency, zero device state)', () => {
  for (const [mem, bw, frac, ws, limitMs] of CASES) {
    it(`${mem} MiB at ${bw} MiB/s, dirty ${frac * 100}% of bandwidth, working set ${ws * 100}%, limit ${limitMs} ms`, () => {
      const { m } = migrate({
        memoryMiB: mem,
        bandwidthMiBps: bw,
        latencyUs: 0,
        workload: { kind: 'sweep', dirtyMiBps: bw * frac, workingSetFraction: ws },
        migration: { strategy: 'precopy', deviceStateKiB: 0, downtimeLimitMs: limitMs },
      });
      const e = model(mem * MiB, bw * MiB, bw * frac * MiB, ws * mem * MiB, limitMs / 1000, 30);
      expect(m.verified).toBe(true);
      expect(within(m.totalTimeMs, e.totalMs, 0.01), `total ${m.totalTimeMs} vs ${e.totalMs}`).toBe(true);
      expect(within(m.downtimeMs, e.downtimeMs, 0.01), `downtime ${m.downtimeMs} vs ${e.downtimeMs}`).toBe(true);
      const liveRounds = m.rounds.filter((r) => !r.stopped).length;
      const nearThreshold = Math.abs(e.remaining / e.threshold - 1) < 0.01;
      if (!nearThreshold) expect(liveRounds).toBe(e.rounds);
      expect(m.converged).toBe(e.remaining <= e.threshold);
    });
  }

  it('dirtying faster than the link: stops at maxRounds and says it did not converge', () => {
    const { m } = migrate({
      memoryMiB: 256,
      bandwidthMiBps: 128,
      latencyUs: 0,
      workload: { kind: 'sweep', dirtyMiBps: 192, workingSetFraction: 0.5 },
      migration: { strategy: 'precopy', deviceStateKiB: 0, maxRounds: 8 },
    });
    const e = model(256 * MiB, 128 * MiB, 192 * MiB, 128 * MiB, 0.3, 8);
    expect(m.rounds.filter((r) => !r.stopped)).toHaveLength(8);
    expect(m.converged).toBe(false);
    expect(m.note).toMatch(/did not converge/);
    expect(within(m.downtimeMs, e.downtimeMs, 0.01)).toBe(true);
    expect(m.downtimeMs).toBeGreaterThan(900);
    expect(m.verified).toBe(true);
  });

  it('…and with auto-converge the throttled guest lets it converge', () => {
    const { m } = migrate({
      memoryMiB: 256,
      bandwidthMiBps: 128,
      latencyUs: 0,
      workload: { kind: 'sweep', dirtyMiBps: 192, workingSetFraction: 0.5 },
      migration: { strategy: 'precopy', deviceStateKiB: 0, maxRounds: 30, autoConverge: true },
    });
    expect(m.converged).toBe(true);
    expect(m.cpuThrottlePercentage).toBeGreaterThanOrEqual(40);
    expect(m.downtimeMs).toBeLessThanOrEqual(300);
    expect(m.verified).toBe(true);
  });
});
