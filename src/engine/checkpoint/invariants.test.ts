import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { build, type Protected, protectScenario, runProtected } from './fixtures';

/**
 * Steps a run and keeps its own copy of the primary's memory and disk at every stun (the VM is
 * paused then), so the backup is checked against bytes this test took, not the mechanism's reference.
 */
function stepAndCheck(p: Protected) {
  const run = p.mechanism.runs[0];
  const vm = run.vm;
  const atStun = new Map<number, { memory: Uint8Array; disk: Uint8Array | null }>();
  let initial: { memory: Uint8Array; disk: Uint8Array | null } | null = null;
  const checked: number[] = [];
  let lastCommitted = -1;
  for (;;) {
    const e = p.world.sim.step();
    if (!e) break;
    if (e.type === 'checkpoint.start')
      initial = { memory: vm.memory.bytes.slice(), disk: vm.disk?.bytes.slice() ?? null };
    if (e.type === 'checkpoint.stun' && run.s.stunning)
      atStun.set(e.epoch as number, { memory: vm.memory.bytes.slice(), disk: vm.disk?.bytes.slice() ?? null });
    if (e.type === 'checkpoint.synced' && initial) expectBackupEquals(p, initial);
    if (e.type === 'checkpoint.ack' && run.s.acked === e.epoch) {
      const epoch = run.s.committed;
      const want = atStun.get(epoch);
      expect(want, `a copy taken at stun ${epoch}`).toBeDefined();
      if (want) expectBackupEquals(p, want);
      checked.push(e.epoch as number);
      for (const k of atStun.keys()) if (k < epoch) atStun.delete(k);
    }
    lastCommitted = run.s.committed;
  }
  return { checked, atStun, lastCommitted };
}

function expectBackupEquals(p: Protected, want: { memory: Uint8Array; disk: Uint8Array | null }): void {
  const run = p.mechanism.runs[0];
  expect(firstDifference(run.backup.bytes, want.memory)).toBe(-1);
  if (want.disk && run.backupDisk) expect(firstDifference(run.backupDisk.bytes, want.disk)).toBe(-1);
}

function firstDifference(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) return 0;
  const wa = new Uint32Array(a.buffer, a.byteOffset, a.length >>> 2);
  const wb = new Uint32Array(b.buffer, b.byteOffset, b.length >>> 2);
  for (let i = 0; i < wa.length; i++) if (wa[i] !== wb[i]) return i * 4;
  return -1;
}

describe('the backup is byte-equal to the primary at the stun, at every acknowledgement', () => {
  it('for every strategy, seed, epoch length and write size tried', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('remus', 'delta', 'feedback'),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.constantFrom(10, 25, 60),
        fc.constantFrom(16, 256, 4096),
        fc.boolean(),
        fc.boolean(),
        fc.constantFrom(119, 10_000),
        fc.constantFrom(450, 40_000),
        (strategy, seed, epochMs, writeBytes, diffs, history, bandwidthMiBps, copyNsPerPage) => {
          const p = build(
            protectScenario({
              strategy,
              seed,
              epochMs,
              memoryMiB: 2,
              diskMiB: 1,
              durationMs: 500,
              workload: { writeBytes, dirtyMiBps: 24 },
              bandwidthMiBps,
              checkpoint: { diffs, history, cachePages: 128, costs: { copyNsPerPage } },
            }),
          );
          const { checked } = stepAndCheck(p);
          expect(checked.length).toBeGreaterThan(3);
          expect(p.metrics().mismatchedPages).toBe(0);
          p.dispose();
        },
      ),
      { numRuns: 30, seed: 42 },
    );
  });
});

describe('the backup applies checkpoints in their order', () => {
  it('a small checkpoint that arrives while a large one is being applied waits for it', () => {
    for (const strategy of ['remus', 'delta', 'feedback'] as const) {
      const p = build(
        protectScenario({
          strategy,
          memoryMiB: 8,
          diskMiB: 0,
          bandwidthMiBps: 1192,
          epochMs: 1,
          durationMs: 60,
          workload: { kind: 'uniform', dirtyMiBps: 16 },
          checkpoint: { costs: { copyNsPerPage: 200_000 } },
        }),
      );
      const { checked } = stepAndCheck(p);
      const commits = p.events.filter((e) => e.type === 'checkpoint.commit').map((e) => e.epoch as number);
      expect(commits.length).toBeGreaterThan(3);
      expect(commits).toEqual([...commits].sort((x, y) => x - y));
      expect(checked.length).toBeGreaterThan(3);
      expect(p.metrics().mismatchedPages).toBe(0);
      p.dispose();
    }
  });
});

describe('failover', () => {
  for (const strategy of ['remus', 'delta', 'feedback'] as const) {
    it(`${strategy}: the VM resumes on the backup from exactly the last committed checkpoint`, () => {
      const p = build(
        protectScenario({
          strategy,
          memoryMiB: 4,
          epochMs: 40,
          failAtMs: 517,
          durationMs: 900,
          workload: { writeBytes: 64 },
        }),
      );
      const { atStun, lastCommitted } = stepAndCheck(p);
      const run = p.mechanism.runs[0];
      const m = p.metrics();
      expect(m.status).toBe('failed-over');
      expect(run.vm.host).toBe('hostB');
      expect(m.lostAckedBytes).toBe(0);
      expect(m.verifiedFailover).toBe(true);
      expect(m.responsesLostOnFailover).toBe(0);
      expect(m.failoverMs).toBeGreaterThanOrEqual(200);
      expect(lastCommitted).toBeGreaterThan(5);
      // The VM ran on after failover, so compare the backup copy it started from (kept by failover).
      const want = atStun.get(lastCommitted);
      expect(want).toBeDefined();
      if (want) expect(firstDifference(run.backup.bytes, want.memory)).toBe(-1);
      p.dispose();
    });
  }

  it('the VM memory right after failover is the last committed checkpoint', () => {
    const p = build(protectScenario({ memoryMiB: 4, epochMs: 40, failAtMs: 517, durationMs: 900 }));
    const run = p.mechanism.runs[0];
    const atStun = new Map<number, Uint8Array>();
    for (let e = p.world.sim.step(); e; e = p.world.sim.step()) {
      if (e.type === 'checkpoint.stun' && run.s.stunning) atStun.set(e.epoch as number, run.vm.memory.bytes.slice());
      if (e.type === 'checkpoint.failover') {
        expect(firstDifference(run.vm.memory.bytes, atStun.get(run.s.committed) as Uint8Array)).toBe(-1);
        expect(run.s.epoch).toBeGreaterThan(run.s.committed - 1);
        break;
      }
    }
    expect(run.s.status).toBe('failed-over');
    p.dispose();
  });

  it('without output commit, clients have seen responses the backup does not know', () => {
    const p = runProtected({
      memoryMiB: 4,
      epochMs: 40,
      failAtMs: 517,
      durationMs: 900,
      checkpoint: { outputCommit: false },
    });
    expect(p.metrics().responsesLostOnFailover).toBeGreaterThan(0);
    expect(p.metrics().verifiedFailover).toBe(true);
    p.dispose();
  });

  it('a primary failing during the full copy leaves nothing to fail over to', () => {
    const p = runProtected({ memoryMiB: 16, failAtMs: 20 });
    expect(p.metrics().status).toBe('stopped');
    expect(p.mechanism.runs[0].s.note).toMatch(/before the full copy/);
    p.dispose();
  });
});

describe('output commit (on the event stream)', () => {
  it('no output.release before the checkpoint.ack of its epoch, and one per acknowledged epoch with responses', () => {
    for (const strategy of ['remus', 'delta', 'feedback'] as const) {
      const p = runProtected({ strategy, memoryMiB: 2, epochMs: 20, durationMs: 600, failAtMs: 433 });
      const acked = new Set<number>();
      let releases = 0;
      for (const e of p.events) {
        if (e.type === 'checkpoint.ack') acked.add(e.epoch as number);
        if (e.type === 'output.release') {
          expect(acked.has(e.epoch as number), `release of epoch ${e.epoch} after its ack`).toBe(true);
          releases++;
        }
      }
      expect(releases).toBeGreaterThan(5);
      p.dispose();
    }
  });
});
