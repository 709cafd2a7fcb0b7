import { describe, expect, it } from 'vitest';
import { openSession } from '../../worker/fixtures';
import type { Session } from '../../worker/session';
import { ScenarioRun } from '../run';
import { smallPreset } from '../scenario/fixtures';
import { resolveScenario } from '../scenario/validate';
import { checkpoint } from '.';
import type { CheckpointMechanism } from './mechanism';
import { CHECKPOINT_PRESETS } from './presets';

const state = (s: Session) => {
  const f = s.frame(false);
  return { index: f.eventIndex, time: f.timeNs, hash: f.traceHash, metrics: f.metrics, labs: f.labs, log: f.logLength };
};

const runOf = (s: Session) => (s.run.instance<CheckpointMechanism>(checkpoint) as CheckpointMechanism).runs[0];

describe('checkpoint presets', () => {
  for (const preset of CHECKPOINT_PRESETS) {
    it(`${preset.id} is valid, runs to its end verified, with the outcome it states`, () => {
      const run = new ScenarioRun(resolveScenario(preset.scenario)).runToEnd();
      const m = run.metrics().checkpoints[0];
      expect(m.mismatchedPages).toBe(0);
      expect(m.verifiedCheckpoints).toBeGreaterThan(3);
      expect(m.status).toBe(preset.outcome?.status ?? 'protecting');
      if (m.status === 'failed-over') expect(m.verifiedFailover).toBe(true);
      run.dispose();
    });
  }
});

describe('Session: stepping back across a failover lands where a fresh run stopped', () => {
  it('ckpt-failover', () => {
    const probe = openSession(smallPreset('ckpt-failover', 16));
    probe.runToEnd();
    const total = probe.index;
    const failIndex = probe.run.sim.log.find((e) => e.kind === 'checkpoint.failover')?.index ?? 0;
    probe.dispose();
    expect(failIndex).toBeGreaterThan(0);
    const a = openSession(smallPreset('ckpt-failover', 16));
    a.step(Math.min(total, failIndex + 20));
    a.stepBack(40);
    a.step(1);
    a.stepBack(1);
    const b = openSession(smallPreset('ckpt-failover', 16));
    b.seek(a.index);
    expect(state(a)).toEqual(state(b));
    expect(runOf(a).backup.mismatchedPages(runOf(b).backup)).toEqual([]);
    expect(runOf(a).vm.memory.mismatchedPages(runOf(b).vm.memory)).toEqual([]);
    a.runToEnd();
    b.runToEnd();
    expect(a.frame(false).traceHash).toBe(b.frame(false).traceHash);
    expect(runOf(a).s.status).toBe('failed-over');
    a.dispose();
    b.dispose();
  });

  it('ckpt-feedback-hotset: staged pages in flight come back from keyframes byte for byte', () => {
    const a = openSession(smallPreset('ckpt-feedback-hotset', 16));
    a.runToEnd();
    const total = a.index;
    const b = openSession(smallPreset('ckpt-feedback-hotset', 16));
    // Back to places where early batches and checkpoints wait in the staging buffer, then on to the end.
    for (const at of [0.6, 0.3, 0.45]) {
      a.seek(Math.floor(total * at));
      b.seek(a.index);
      expect(state(a)).toEqual(state(b));
      const [ra, rb] = [runOf(a), runOf(b)];
      expect(ra.s.inFlight.length + ra.s.early.length).toBeGreaterThan(0);
      expect(ra.staging.held).toBe(rb.staging.held);
      const staged = [...ra.s.early, ...ra.s.inFlight.flatMap((c) => c.batches)].flatMap((x) => [...x.slots]);
      expect(staged.filter((slot) => !equalBytes(ra.staging.page(slot), rb.staging.page(slot)))).toEqual([]);
      expect(ra.backup.mismatchedPages(rb.backup)).toEqual([]);
    }
    a.runToEnd();
    b.runToEnd();
    expect(state(a)).toEqual(state(b));
    expect(runOf(a).s.mismatchedPages).toBe(0);
    a.dispose();
    b.dispose();
  });

  it('breakpoints stop on a stun, on an acknowledgement and on failover', () => {
    const s = openSession(smallPreset('ckpt-failover', 16));
    s.breakpoints = [{ mechanism: 'checkpoint', kind: 'stun' }];
    expect(s.play(Number.POSITIVE_INFINITY, () => false)).toBe('breakpoint: checkpoint 1: the primary is stunned');
    s.breakpoints = [{ mechanism: 'checkpoint', kind: 'ack' }];
    expect(s.play(Number.POSITIVE_INFINITY, () => false)).toBe('breakpoint: checkpoint 1 acknowledged');
    s.breakpoints = [{ mechanism: 'checkpoint', kind: 'failover' }];
    expect(s.play(Number.POSITIVE_INFINITY, () => false)).toBe('breakpoint: the backup took over');
    expect(runOf(s).s.status).toBe('failed-over');
    s.dispose();
  });
});

function equalBytes(x: Uint8Array, y: Uint8Array): boolean {
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}
