import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PAGE_SIZE } from '../hw/guestMemory';
import { MiB } from '../kernel/clock';
import { ScenarioRun } from '../run';
import { resolveScenario } from '../scenario/validate';
import { migrationOf, type TwoHostOptions, twoHostScenario } from './fixtures';
import type { MigrationMetrics } from './metrics';

interface Sent {
  tNs: number;
  wireBytes: number;
  pages: number[];
}

/** Run to the end, watching the stream: each chunk as its sending ends, and the log's stop/resume/round times. */
function watch(o: TwoHostOptions) {
  const run = new ScenarioRun(resolveScenario(twoHostScenario(o)));
  const mig = migrationOf(run).runs[0];
  const sent: Sent[] = [];
  run.sim.observer = (_i, tNs, e) => {
    if (e.type !== 'mig.sent') return;
    const c = mig.chunk(e.chunk as number);
    if (c && c.kind === 'memory' && c.sentNs === tNs) sent.push({ tNs, wireBytes: c.wireBytes, pages: [...c.pages] });
  };
  run.runToEnd();
  const at = (kind: string) => run.sim.log.filter((l) => l.kind === kind).map((l) => l.timeNs);
  const m = run.summary().migrations[0] as MigrationMetrics;
  const out = {
    m,
    sent,
    stopNs: at('migration.stop')[0],
    resumeNs: at('migration.resume')[0],
    syncNs: at('migration.round'),
  };
  run.dispose();
  return out;
}

/** The QEMU bench's guest, scaled down: half of memory swept one word per page, a cap on a fast link. */
const guest = (o: { dirtyPagesPerS: number; capMiBps: number; limitMs: number; sync: 'rounds' | 'qemu' }) =>
  ({
    memoryMiB: 16,
    memoryFill: 0.5,
    bandwidthMiBps: 1024,
    latencyUs: 50,
    workload: {
      kind: 'sweep',
      dirtyMiBps: (o.dirtyPagesPerS * PAGE_SIZE) / MiB,
      workingSetFraction: 0.5,
      writeBytes: 4,
    },
    migration: {
      strategy: 'precopy',
      bandwidthLimitMiBps: o.capMiBps,
      downtimeLimitMs: o.limitMs,
      syncPolicy: o.sync,
      deviceStateKiB: 64,
    },
  }) satisfies TwoHostOptions;

/** Wire bytes whose sending ended in (from, to], over that time: the stream's rate there. */
function rateMiBps(sent: Sent[], from: number, to: number): number {
  const bytes = sent.filter((s) => s.tNs > from && s.tNs <= to).reduce((n, s) => n + s.wireBytes, 0);
  return (bytes / MiB / (to - from)) * 1e9;
}

describe('bandwidthLimitMiBps as QEMU max-bandwidth: live phase only', () => {
  const o = guest({ dirtyPagesPerS: 1000, capMiBps: 8, limitMs: 300, sync: 'rounds' });

  it('caps the stream while the VM runs and lifts it while stopped, unless capSwitchover', () => {
    const lifted = watch(o);
    const kept = watch({ ...o, migration: { ...o.migration, capSwitchover: true } });
    for (const r of [lifted, kept]) expect(rateMiBps(r.sent, 0, r.stopNs)).toBeLessThanOrEqual(8 * 1.001);
    const lastSent = (r: typeof lifted) => r.sent[r.sent.length - 1].tNs;
    expect(rateMiBps(kept.sent, kept.stopNs, lastSent(kept))).toBeCloseTo(8, 1);
    expect(rateMiBps(lifted.sent, lifted.stopNs, lastSent(lifted))).toBeGreaterThan(500);
  });

  it('the same bytes and the same run up to the stop, then less downtime', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 200, max: 3000 }),
        fc.integer({ min: 4, max: 32 }),
        fc.integer({ min: 20, max: 500 }),
        fc.constantFrom('rounds' as const, 'qemu' as const),
        (dirtyPagesPerS, capMiBps, limitMs, sync) => {
          const base = guest({ dirtyPagesPerS, capMiBps, limitMs, sync });
          const lifted = watch(base);
          const kept = watch({ ...base, migration: { ...base.migration, capSwitchover: true } });
          expect(lifted.stopNs).toBe(kept.stopNs);
          expect(lifted.m.transferredBytes).toBe(kept.m.transferredBytes);
          expect(lifted.m.downtimeMs).toBeLessThanOrEqual(kept.m.downtimeMs);
          expect([lifted.m.verified, kept.m.verified]).toEqual([true, true]);
        },
      ),
      { numRuns: 8, seed: 15 },
    );
  });
});

describe("syncPolicy 'qemu': QEMU 7.2's loop", () => {
  it('syncs mid-pass once the rest is under the threshold, and the page search goes on from there', () => {
    const r = watch(guest({ dirtyPagesPerS: 1000, capMiBps: 8, limitMs: 300, sync: 'qemu' }));
    const firstSync = r.syncNs[0];
    const before = r.sent.filter((s) => s.tNs <= firstSync);
    const pagesBefore = new Set(before.flatMap((s) => s.pages));
    expect(pagesBefore.size).toBeLessThan(r.m.rounds[0].pagesSent + 1);
    expect(pagesBefore.size).toBeLessThan((16 * MiB) / PAGE_SIZE);
    const after = r.sent.find((s) => s.tNs > firstSync);
    const lastBefore = before[before.length - 1].pages;
    expect(after?.pages[0]).toBeGreaterThan(lastBefore[lastBefore.length - 1]);
  });

  it('the threshold is the 100 ms window bandwidth times the limit: the cap times the limit here', () => {
    const r = watch(guest({ dirtyPagesPerS: 1000, capMiBps: 8, limitMs: 300, sync: 'qemu' }));
    for (const row of r.m.rounds.filter((x) => x.thresholdBytes !== undefined)) {
      expect((row.thresholdBytes ?? 0) / MiB).toBeCloseTo(8 * 0.3, 1);
    }
  });

  it('every sync but the last leaves at least the threshold queued; the last leaves less; syncs count as QEMU counts', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 200, max: 1800 }),
        fc.integer({ min: 8, max: 32 }),
        fc.integer({ min: 50, max: 500 }),
        (dirtyPagesPerS, capMiBps, limitMs) => {
          const r = watch(guest({ dirtyPagesPerS, capMiBps, limitMs, sync: 'qemu' }));
          expect(r.m.status).toBe('completed');
          expect(r.m.verified).toBe(true);
          const live = r.m.rounds.filter((x) => !x.stopped);
          live.forEach((row, i) => {
            const queued = (row.pagesQueued ?? 0) * PAGE_SIZE;
            const threshold = row.thresholdBytes ?? 0;
            if (i < live.length - 1) expect(queued).toBeGreaterThanOrEqual(threshold);
            else if (r.m.converged) expect(queued).toBeLessThan(threshold);
          });
          // One round narration per row (the stopped pass too); plus setup's sync and the completion's.
          expect(r.m.dirtySyncCount).toBe(r.syncNs.length - 1 + 2);
          expect(r.syncNs.slice(0, -1).every((t) => t <= r.stopNs)).toBe(true);
        },
      ),
      { numRuns: 10, seed: 7 },
    );
  });

  it('the default policy is unchanged: rows end only when a pass drains', () => {
    const r = watch(guest({ dirtyPagesPerS: 1000, capMiBps: 8, limitMs: 300, sync: 'rounds' }));
    expect(r.m.rounds[0].pagesSent).toBe((16 * MiB) / PAGE_SIZE);
    expect(r.m.dirtySyncCount).toBe(r.m.rounds.filter((x) => !x.stopped).length);
  });
});
