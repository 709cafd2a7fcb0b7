import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { migrationOf } from '../engine/migration/fixtures';
import { smallPreset } from '../engine/scenario/fixtures';
import { openSession } from './fixtures';
import type { Session } from './session';

/** Every byte the run holds in memories: source, disk, destination, its disk, XBZRLE cache. */
function memories(s: Session): Uint8Array[] {
  const run = migrationOf(s.run).runs[0];
  return [run.vm.memory, run.vm.disk, run.dest, run.destDisk, run.cache?.memory]
    .filter((m) => m !== null && m !== undefined)
    .map((m) => m.bytes);
}

describe('Keyframes: restoring backwards and forwards lands where a fresh run does, byte for byte', () => {
  for (const id of ['precopy-no-converge', 'postcopy', 'xbzrle']) {
    it(id, () => {
      const probe = openSession(smallPreset(id, 16));
      probe.runToEnd();
      const total = probe.index;
      probe.dispose();
      fc.assert(
        fc.property(fc.array(fc.integer({ min: 0, max: total }), { minLength: 2, maxLength: 5 }), (targets) => {
          const a = openSession(smallPreset(id, 16));
          a.runToEnd();
          const kept = a.keyframeCount;
          for (const t of targets) a.seek(t);
          // Keyframes survive rewinds (a later seek forwards restores one instead of replaying); a
          // replay past the newest may add one (spacing follows the time replay took).
          expect(a.keyframeCount).toBeGreaterThanOrEqual(kept);
          const b = openSession(smallPreset(id, 16));
          b.step(a.index);
          const fa = a.frame(false);
          const fb = b.frame(false);
          expect([fa.eventIndex, fa.timeNs, fa.traceHash, fa.logLength]).toEqual([
            fb.eventIndex,
            fb.timeNs,
            fb.traceHash,
            fb.logLength,
          ]);
          expect(fa.labs).toEqual(fb.labs);
          expect(fa.log).toEqual(fb.log);
          const ma = memories(a);
          const mb = memories(b);
          expect(ma.length).toBe(mb.length);
          ma.forEach((bytes, i) => {
            expect(Buffer.compare(bytes, mb[i])).toBe(0);
          });
          a.runToEnd();
          b.runToEnd();
          expect(a.frame(false).traceHash).toBe(b.frame(false).traceHash);
          a.dispose();
          b.dispose();
        }),
        { numRuns: 4, seed: 99 },
      );
    });
  }

  it('a step back after a step lands where the step started', () => {
    const s = openSession(smallPreset('hybrid', 16));
    s.runToEnd();
    s.seek(Math.floor(s.index / 2));
    const before = s.frame(false);
    const bytes = memories(s).map((m) => m.slice());
    s.step(1);
    s.stepBack(1);
    const after = s.frame(false);
    expect([after.eventIndex, after.traceHash]).toEqual([before.eventIndex, before.traceHash]);
    memories(s).forEach((m, i) => {
      expect(Buffer.compare(m, bytes[i])).toBe(0);
    });
    s.dispose();
  });
});

describe('Keyframes: time-travel memory', () => {
  it('stays within the memory of the VM simulated on a guest that rewrites its working set', () => {
    const s = openSession(smallPreset('precopy-no-converge', 64));
    s.runToEnd();
    expect(s.keyframeCount).toBeGreaterThan(4);
    expect(s.keyframeBytes).toBeLessThanOrEqual(64 * 2 ** 20);
    s.dispose();
  });
});
