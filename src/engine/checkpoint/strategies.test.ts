import { describe, expect, it } from 'vitest';
import { build, type ProtectOptions, protectScenario, runProtected } from './fixtures';

const metricsOf = (o: ProtectOptions) => {
  const p = runProtected({ memoryMiB: 8, durationMs: 1500, ...o });
  const m = p.metrics();
  p.dispose();
  return m;
};

describe('what each strategy buys', () => {
  it('overhead grows with checkpoint frequency; output delay shrinks', () => {
    const [fast, mid, slow] = [25, 50, 200].map((epochMs) => metricsOf({ epochMs }));
    expect(fast.slowdownPct).toBeGreaterThan(mid.slowdownPct);
    expect(mid.slowdownPct).toBeGreaterThan(slow.slowdownPct);
    expect(fast.epochs).toBeGreaterThan(mid.epochs);
    expect(fast.outputDelayMs.p50).toBeLessThan(mid.outputDelayMs.p50);
    expect(mid.outputDelayMs.p50).toBeLessThan(slow.outputDelayMs.p50);
    // Added latency is about an epoch plus the transfer and a round trip.
    expect(slow.outputDelayMs.max).toBeGreaterThan(200);
  });

  it('feedback stuns less than remus on a hot set (rarely re-dirtied pages go while the VM runs)', () => {
    const workload = { dirtyMiBps: 96, hotFraction: 0.05, hotShare: 0.6, writeBytes: 256 };
    const remus = metricsOf({ strategy: 'remus', workload });
    const feedback = metricsOf({ strategy: 'feedback', workload });
    const noHistory = metricsOf({ strategy: 'feedback', workload, checkpoint: { history: false } });
    expect(feedback.stunMs.mean).toBeLessThan(remus.stunMs.mean);
    expect(feedback.pagesSentWhileRunning).toBeGreaterThan(0);
    expect(remus.pagesSentWhileRunning).toBe(0);
    expect(noHistory.pagesSentWhileRunning).toBe(0);
    expect(noHistory.stunMs.mean).toBeCloseTo(remus.stunMs.mean, 6);
    // Diffs the backup asked for: fewer bytes than whole pages.
    expect(noHistory.deltaPages).toBeGreaterThan(0);
    expect(noHistory.bytesPerEpoch.mean).toBeLessThan(remus.bytesPerEpoch.mean);
  });

  it('delta sends fewer bytes than remus when few words change, and no fewer when whole pages change', () => {
    const light = { writeBytes: 16 };
    const remus = metricsOf({ strategy: 'remus', workload: light });
    const delta = metricsOf({ strategy: 'delta', workload: light });
    expect(delta.bytesPerEpoch.mean).toBeLessThan(remus.bytesPerEpoch.mean / 2);
    expect(delta.bytesSavedPct).toBeGreaterThan(50);
    expect(delta.deltaPages).toBeGreaterThan(delta.fullPages);
    const heavy = { writeBytes: 4096 };
    expect(metricsOf({ strategy: 'delta', workload: heavy }).bytesPerEpoch.mean).toBeGreaterThanOrEqual(
      metricsOf({ strategy: 'remus', workload: heavy }).bytesPerEpoch.mean,
    );
  });

  it('a stun costs the table: 1 ms + 0.1 ns a page scanned + (50 + 450) ns a dirty page', () => {
    const p = runProtected({ memoryMiB: 8, durationMs: 400, epochMs: 50 });
    for (const e of p.mechanism.runs[0].s.epochs) {
      const dirty = e.pages;
      expect(e.resumeNs - e.stunNs).toBe(Math.round(1_000_000 + 2048 * 0.1 + dirty * 500));
    }
    p.dispose();
  });

  it('the same scenario gives the same trace hash', () => {
    const a = runProtected({ strategy: 'feedback', seed: 9, memoryMiB: 4, durationMs: 600 });
    const b = runProtected({ strategy: 'feedback', seed: 9, memoryMiB: 4, durationMs: 600 });
    expect(a.world.sim.trace.hex()).toBe(b.world.sim.trace.hex());
    a.dispose();
    b.dispose();
  });

  it('a snapshot restored mid-run replays to the same end (trace hash, backup bytes, metrics)', () => {
    for (const strategy of ['remus', 'delta', 'feedback'] as const) {
      const o: ProtectOptions = {
        strategy,
        seed: 4,
        memoryMiB: 4,
        durationMs: 700,
        failAtMs: 450,
        workload: { writeBytes: 64 },
      };
      const fresh = runProtected(o);
      const p = build(protectScenario(o));
      p.world.sim.runUntil({ eventIndex: Math.floor(fresh.world.sim.eventIndex / 2) });
      const snap = p.world.sim.snapshot();
      p.world.sim.runUntil();
      p.world.sim.restore(snap);
      p.world.sim.runUntil();
      expect(p.world.sim.trace.hex()).toBe(fresh.world.sim.trace.hex());
      expect(p.mechanism.runs[0].backup.mismatchedPages(fresh.mechanism.runs[0].backup)).toEqual([]);
      expect(p.world.vm('vm1').memory.mismatchedPages(fresh.world.vm('vm1').memory)).toEqual([]);
      expect(p.metrics()).toEqual(fresh.metrics());
      fresh.dispose();
      p.dispose();
    }
  });
});
