import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { migrationOf } from '../engine/migration/fixtures';
import { smallPreset } from '../engine/scenario/fixtures';
import { findPreset } from '../engine/scenario/presets';
import type { ScenarioInput } from '../engine/scenario/schema';
import { openSession } from './fixtures';
import type { Session } from './session';

function state(s: Session) {
  const f = s.frame(false);
  return {
    index: f.eventIndex,
    time: f.timeNs,
    hash: f.traceHash,
    metrics: f.metrics,
    labs: f.labs,
    log: f.logLength,
  };
}

describe('Session: stepping back lands where a fresh run stopped at the same event', () => {
  for (const id of ['precopy-converges', 'postcopy', 'hybrid', 'xbzrle']) {
    it(id, () => {
      const probe = openSession(smallPreset(id, 32));
      probe.runToEnd();
      const total = probe.index;
      probe.dispose();
      expect(total).toBeGreaterThan(100);
      const a = openSession(smallPreset(id, 32));
      a.step(Math.floor(total * 0.9));
      a.stepBack(Math.floor(total * 0.5));
      a.step(1);
      a.stepBack(1);
      expect(a.index).toBe(Math.floor(total * 0.9) - Math.floor(total * 0.5));
      const b = openSession(smallPreset(id, 32));
      b.seek(a.index);
      expect(state(a)).toEqual(state(b));
      expectSameMemory(a, b);
      a.runToEnd();
      b.runToEnd();
      expect(a.frame(false).traceHash).toBe(b.frame(false).traceHash);
      a.dispose();
      b.dispose();
    });
  }
});

describe('Session: the initial guest memory written after the first frame', () => {
  for (const id of ['stopcopy-basic', 'precopy-converges', 'xbzrle']) {
    it(`${id}: the same first frame and the same run as memory written at once`, () => {
      const lazy = openSession(smallPreset(id, 32));
      const eager = openSession(smallPreset(id, 32));
      eager.run.materializeMemory();
      expect(state(lazy)).toEqual(state(eager));
      lazy.run.materializeMemory();
      lazy.runToEnd();
      eager.runToEnd();
      expect(state(lazy)).toEqual(state(eager));
      expectSameMemory(lazy, eager);
      lazy.dispose();
      eager.dispose();
    });
  }

  it('memory written in slices (as the worker does between looks at its inbox) gives the same run', () => {
    const sliced = openSession(smallPreset('xbzrle', 32));
    const eager = openSession(smallPreset('xbzrle', 32));
    eager.run.materializeMemory();
    let looks = 0;
    let slices = 1;
    // Every other look at the clock says the slice is over: parts of 100 pages, many slices.
    while (!sliced.run.materializeSome(() => ++looks % 2 === 0, 100)) slices++;
    expect(slices).toBeGreaterThan(10);
    sliced.runToEnd();
    eager.runToEnd();
    expect(state(sliced)).toEqual(state(eager));
    expectSameMemory(sliced, eager);
    sliced.dispose();
    eager.dispose();
  });
});

function expectSameMemory(a: Session, b: Session): void {
  const ra = migrationOf(a.run).runs[0];
  const rb = migrationOf(b.run).runs[0];
  expect(ra.vm.memory.mismatchedPages(rb.vm.memory)).toEqual([]);
  expect(ra.dest.mismatchedPages(rb.dest)).toEqual([]);
  if (ra.cache && rb.cache) expect(ra.cache.memory.mismatchedPages(rb.cache.memory)).toEqual([]);
}

describe('Session: any sequence of seeks ends where one seek from the start does', () => {
  it('precopy with XBZRLE (keyframes hold page deltas of memory, destination and cache)', () => {
    const probe = openSession(smallPreset('xbzrle', 32));
    probe.runToEnd();
    const total = probe.index;
    probe.dispose();
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: total }), { minLength: 1, maxLength: 6 }), (targets) => {
        const a = openSession(smallPreset('xbzrle', 32));
        for (const t of targets) a.seek(t);
        const b = openSession(smallPreset('xbzrle', 32));
        b.seek(targets[targets.length - 1]);
        expect(state(a)).toEqual(state(b));
        expectSameMemory(a, b);
        a.dispose();
        b.dispose();
      }),
      { numRuns: 6, seed: 1234 },
    );
  });
});

describe('Session: breakpoints', () => {
  it('stops at the start of round 3', () => {
    const s = openSession(smallPreset('precopy-no-converge', 256));
    s.breakpoints = [{ mechanism: 'migration', kind: 'round', round: 3 }];
    const reason = s.play(Number.POSITIVE_INFINITY, () => false);
    expect(reason).toBe('breakpoint: round 3 began');
    expect(s.run.sim.currentPhase('migration:vm1')?.name).toBe('round 3');
    expect(s.run.metrics().migrations[0].rounds).toHaveLength(3);
    s.dispose();
  });

  it('stops on a remote fault in post-copy', () => {
    const s = openSession(smallPreset('postcopy', 32));
    s.breakpoints = [{ mechanism: 'migration', kind: 'fault' }];
    const reason = s.play(Number.POSITIVE_INFINITY, () => false);
    expect(reason).toMatch(/^breakpoint: remote fault/);
    expect(s.run.metrics().migrations[0].postcopyRequests).toBe(1);
    s.dispose();
  });

  it('stops when a stop-and-copy downtime will exceed the limit', () => {
    const s = openSession(smallPreset('stopcopy-basic', 64));
    s.breakpoints = [{ mechanism: 'migration', kind: 'downtime' }];
    const reason = s.play(Number.POSITIVE_INFINITY, () => false);
    expect(reason).toMatch(/^breakpoint: downtime of vm1 will be about \d+ ms, over its 300 ms limit/);
    s.dispose();
  });

  it('the downtime breakpoint does not fire again after stepping back past the moment it fired', () => {
    const s = openSession(smallPreset('stopcopy-basic', 64));
    s.breakpoints = [{ mechanism: 'migration', kind: 'downtime' }];
    expect(s.play(Number.POSITIVE_INFINITY, () => false)).toMatch(/^breakpoint: downtime/);
    s.step(20);
    s.stepBack(5);
    expect(s.play(Number.POSITIVE_INFINITY, () => false)).toBe('finished');
    s.seek(0);
    expect(s.play(Number.POSITIVE_INFINITY, () => false)).toMatch(/^breakpoint: downtime/);
    s.dispose();
  });

  it('run to end stops at a breakpoint too, and goes on to the end from there', () => {
    const s = openSession(smallPreset('precopy-no-converge', 256));
    s.breakpoints = [{ mechanism: 'migration', kind: 'round', round: 2 }];
    expect(s.runToEnd(true)).toBe('breakpoint: round 2 began');
    s.breakpoints = [];
    expect(s.runToEnd(true)).toBe('finished');
    s.dispose();
  });

  it('without breakpoints plays to the end', () => {
    const s = openSession(smallPreset('hybrid', 32));
    expect(s.play(Number.POSITIVE_INFINITY, () => false)).toBe('finished');
    expect(s.run.metrics().migrations[0].verified).toBe(true);
    s.dispose();
  });
});

describe('Session: frames', () => {
  it("a post-copy run's hundreds of fault lines do not push its phases out of the frame's log", () => {
    const s = openSession(findPreset('postcopy')?.scenario as ScenarioInput);
    s.runToEnd();
    const f = s.frame(false);
    expect(f.logLength).toBeGreaterThan(f.log.length);
    expect(f.log.filter((e) => e.kind === 'migration.fault').length).toBeGreaterThan(100);
    expect(f.log.map((e) => e.kind)).toEqual(expect.arrayContaining(['migration.start', 'migration.resume']));
    const indices = f.log.map((e) => e.index);
    expect(indices).toEqual([...indices].sort((a, b) => a - b));
    s.dispose();
  });
});

describe('Session: keyframe budget', () => {
  it('counts what each keyframe copies besides memory deltas (per-page arrays, bitmaps, chunks in flight)', () => {
    const s = openSession(smallPreset('precopy-converges', 32));
    s.runToEnd();
    const pages = 32 * 256;
    expect(s.keyframeCount).toBeGreaterThanOrEqual(2);
    // At least the migration's sendCount (1 byte a page) and lastChunk (4 bytes a page) each time,
    // and well under a full copy of memory.
    expect(s.keyframeOverheadBytes).toBeGreaterThan(s.keyframeCount * pages * 5);
    expect(s.keyframeOverheadBytes).toBeLessThan(s.keyframeCount * pages * 4096 * 0.25);
    expect(s.keyframeBytes).toBeGreaterThan(s.keyframeOverheadBytes);
    s.dispose();
  });
});

describe('Session: breakpoints every lab shares', () => {
  it('stops at a simulated time, once per crossing', () => {
    const s = openSession(smallPreset('precopy-converges', 32));
    s.breakpoints = [{ mechanism: 'run', kind: 'time', atMs: 150 }];
    expect(s.play(Number.POSITIVE_INFINITY, () => false)).toBe('breakpoint: simulated time reached 150 ms');
    expect(s.run.sim.now).toBeGreaterThanOrEqual(150e6);
    const index = s.index;
    s.stepBack(1);
    expect(s.run.sim.now).toBeLessThan(150e6);
    expect(s.play(Number.POSITIVE_INFINITY, () => false)).toBe('breakpoint: simulated time reached 150 ms');
    expect(s.index).toBe(index);
    expect(s.play(Number.POSITIVE_INFINITY, () => false)).toBe('finished');
    s.dispose();
  });

  it('stops on an event type given by its start', () => {
    const s = openSession(smallPreset('postcopy', 32));
    s.breakpoints = [{ mechanism: 'run', kind: 'event', type: 'mig.faultRequest' }];
    expect(s.play(Number.POSITIVE_INFINITY, () => false)).toBe('breakpoint: event mig.faultRequest');
    expect(s.run.metrics().migrations[0].postcopyRequests).toBe(1);
    s.dispose();
  });

  it('a breakpoint of a mechanism the scenario does not use never fires', () => {
    const s = openSession(smallPreset('precopy-converges', 32));
    s.breakpoints = [{ mechanism: 'nosuchlab', kind: 'round', round: 1 }];
    expect(s.play(Number.POSITIVE_INFINITY, () => false)).toBe('finished');
    s.dispose();
  });
});

describe('Session: a clicked page explains itself', () => {
  it('names the events that last wrote, sent and delivered it, each a position to seek to', () => {
    const s = openSession(smallPreset('precopy-converges', 32));
    s.runToEnd();
    const m = migrationOf(s.run).runs[0];
    const page = m.vm.lastWriteAt.findIndex((i) => i > 0);
    expect(page).toBeGreaterThanOrEqual(0);
    const inspection = s.inspect({ mechanism: 'migration', item: 'page', entry: 0, side: 'source', index: page });
    expect(inspection?.title).toBe(`vm1 page ${page} on hostA`);
    const written = inspection?.lines.find((l) => l.label === 'last written by the guest');
    expect(written?.eventIndex).toBe(m.vm.lastWriteAt[page]);
    const sent = inspection?.lines.find((l) => l.label === 'newest copy left');
    expect(sent?.eventIndex).toBe(m.sentAt[page]);
    // Seeking to the write's position shows the page dirty there, and not one event before.
    const at = written?.eventIndex ?? 0;
    s.seek(at - 1);
    const before = migrationOf(s.run).runs[0].vm.lastWriteAt[page];
    s.seek(at);
    expect(migrationOf(s.run).runs[0].vm.lastWriteAt[page]).toBe(at);
    expect(before).toBeLessThan(at);
    expect(s.inspect({ mechanism: 'migration', item: 'page', entry: 0, index: 1e9 })).toBeUndefined();
    s.dispose();
  });
});

describe('Session: next phase', () => {
  it('skips a phase too short to see (the 200 us setup) and stops where the next one begins', () => {
    const s = openSession(smallPreset('precopy-converges', 32));
    s.nextPhase(0);
    expect(s.run.sim.currentPhase('migration:vm1')?.name).toBe('setup');
    const probe = openSession(smallPreset('precopy-converges', 32));
    probe.nextPhase(5e6);
    expect(probe.run.sim.currentPhase('migration:vm1')?.name).toBe('round 0');
    // It stops at the very event where round 0 began, as a plain run to that event would.
    const began = probe.run.sim.phases.find((p) => p.name === 'round 0')?.startIndex;
    expect(probe.index).toBe(began);
    s.dispose();
    probe.dispose();
  });

  it('a move done in slices ends where the same move done at once does', () => {
    const a = openSession(smallPreset('postcopy', 32));
    const move = a.moveTo(1500);
    let slices = 0;
    while (!move.advance(() => true)) slices++;
    expect(slices).toBeGreaterThan(5);
    const b = openSession(smallPreset('postcopy', 32));
    b.seek(1500);
    expect(state(a)).toEqual(state(b));
    a.dispose();
    b.dispose();
  });
});
