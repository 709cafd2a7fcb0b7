import { describe, expect, it } from 'vitest';
import { migrate, twoHostScenario } from '../migration/fixtures';
import { ScenarioRun } from '../run';
import { resolveScenario } from '../scenario/validate';
import { Simulation } from './simulation';
import { TraceHash } from './traceHash';

describe('Simulation', () => {
  it('runs events in time order and stops where runUntil says', () => {
    const sim = new Simulation();
    const seen: string[] = [];
    sim.on('tick', (e, s) => {
      seen.push(`${s.now}:${e.n}`);
      if ((e.n as number) < 5) s.schedule(10, { type: 'tick', n: (e.n as number) + 1 });
    });
    sim.scheduleAt(0, { type: 'tick', n: 0 });
    expect(sim.runUntil({ timeNs: 25 })).toBe('time');
    expect(seen).toEqual(['0:0', '10:1', '20:2']);
    expect(sim.runUntil({ eventIndex: 4 })).toBe('eventIndex');
    expect(sim.runUntil({ predicate: (_, e) => e.n === 5 })).toBe('predicate');
    expect(sim.runUntil()).toBe('finished');
    expect(seen).toHaveLength(6);
  });

  it('refuses events in the past and at fractional times', () => {
    const sim = new Simulation();
    sim.on('x', () => {});
    sim.scheduleAt(10, { type: 'x' });
    sim.step();
    expect(() => sim.scheduleAt(5, { type: 'x' })).toThrow(/past/);
    expect(() => sim.scheduleAt(10.5, { type: 'x' })).toThrow(/fractional/);
  });

  it('stops with a clear reason when the event budget runs out', () => {
    const sim = new Simulation(100);
    sim.on('loop', (_, s) => s.schedule(1, { type: 'loop' }));
    sim.scheduleAt(0, { type: 'loop' });
    expect(sim.runUntil()).toBe('budget');
    expect(sim.eventIndex).toBe(100);
    expect(sim.finishReason).toMatch(/event budget of 100 events exceeded/);
  });

  it('the trace hash changes with any field of any event', () => {
    const a = new TraceHash();
    const b = new TraceHash();
    a.add(0, 5, { type: 'x', page: 1 });
    b.add(0, 5, { type: 'x', page: 2 });
    expect(a.hex()).not.toBe(b.hex());
    expect(a.hex()).toMatch(/^[0-9a-f]{16}$/);
  });

  for (const strategy of ['precopy', 'postcopy', 'hybrid', 'stopcopy'] as const) {
    it(`${strategy}: snapshot, run on, restore, continue gives the uninterrupted run's trace hash`, () => {
      const scenario = resolveScenario(
        twoHostScenario({
          memoryMiB: 16,
          workload: { kind: 'hotset', dirtyMiBps: 24, hotFraction: 0.1 },
          migration: { strategy, atMs: 5, xbzrle: strategy === 'precopy' ? { cacheMiB: 4 } : undefined },
        }),
      );
      const straight = new ScenarioRun(scenario).runToEnd();
      const expected = straight.summary();
      const total = straight.sim.eventIndex;
      straight.dispose();

      const run = new ScenarioRun(scenario);
      run.sim.runUntil({ eventIndex: Math.floor(total / 2) });
      const snap = run.sim.snapshot();
      run.runToEnd();
      expect(run.summary()).toEqual(expected);
      run.sim.restore(snap);
      expect(run.sim.eventIndex).toBe(Math.floor(total / 2));
      run.runToEnd();
      expect(run.summary()).toEqual(expected);
      run.dispose();
    });
  }

  it('a migration scenario finishes by itself and says why', () => {
    const { summary } = migrate({ memoryMiB: 8 });
    expect(summary.finishReason).toBe('all mechanisms finished');
  });
});
