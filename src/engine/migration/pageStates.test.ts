import { describe, expect, it } from 'vitest';
import { ScenarioRun } from '../run';
import { resolveScenario } from '../scenario/validate';
import { migrationOf, type TwoHostOptions, twoHostScenario } from './fixtures';
import { migrationMetrics } from './metrics';
import { destinationPageStates, PageState, sourcePageStates } from './pageStates';

function stepThrough(o: TwoHostOptions, check: (run: ScenarioRun) => void): void {
  const run = new ScenarioRun(resolveScenario(twoHostScenario(o)));
  while (run.sim.step()) check(run);
  run.dispose();
}

const count = (states: Uint8Array, state: number) => states.reduce((n, s) => n + (s === state ? 1 : 0), 0);

describe('page states the grids draw', () => {
  it('hybrid: after resume, the stale pages are exactly those still to come, and nothing shows as dirtied', () => {
    let checked = 0;
    stepThrough(
      {
        memoryMiB: 8,
        workload: { kind: 'hotset', dirtyMiBps: 16, hotFraction: 0.2, hotShare: 0.9 },
        migration: { strategy: 'hybrid' },
      },
      (run) => {
        const m = migrationOf(run).runs[0];
        if (!m.resumed || m.terminal) return;
        const source = new Uint8Array(m.pages);
        const destination = new Uint8Array(m.pages);
        sourcePageStates(m, source);
        destinationPageStates(m, destination);
        const inFlight = count(destination, PageState.InFlight);
        expect(count(source, PageState.Dirty)).toBe(0);
        expect(count(destination, PageState.Stale) + inFlight).toBe(m.pages - m.present.count());
        checked++;
      },
    );
    expect(checked).toBeGreaterThan(5);
  });

  it('a completed run shows every destination page present (or faulted in)', () => {
    for (const strategy of ['precopy', 'postcopy', 'hybrid'] as const) {
      const run = new ScenarioRun(
        resolveScenario(twoHostScenario({ memoryMiB: 8, migration: { strategy } })),
      ).runToEnd();
      const m = migrationOf(run).runs[0];
      const destination = new Uint8Array(m.pages);
      destinationPageStates(m, destination);
      expect(count(destination, PageState.Present) + count(destination, PageState.FaultedIn), strategy).toBe(m.pages);
      run.dispose();
    }
  });
});

describe('live metrics', () => {
  for (const strategy of ['stopcopy', 'precopy', 'postcopy', 'hybrid'] as const) {
    it(`${strategy}: the stream's mbps never exceeds the link, remote-fault pages included`, () => {
      const linkMbps = (128 * 2 ** 20 * 8) / 1e6;
      let max = 0;
      const workload = { kind: 'hotset' as const, dirtyMiBps: 32, hotFraction: 0.1, hotShare: 0.9 };
      stepThrough({ memoryMiB: 8, bandwidthMiBps: 128, workload, migration: { strategy } }, (run) => {
        max = Math.max(max, migrationMetrics(migrationOf(run).runs[0], run.sim.now).mbps);
      });
      expect(max).toBeGreaterThan(0.5 * linkMbps);
      expect(max).toBeLessThanOrEqual(linkMbps * 1.0001);
    });
  }

  it('expected downtime: the queued pages for pre-copy, only the device state for post-copy', () => {
    const seen = { precopy: 0, postcopy: 0 };
    for (const strategy of ['precopy', 'postcopy'] as const) {
      stepThrough(
        { memoryMiB: 16, bandwidthMiBps: 64, latencyUs: 0, migration: { strategy, precopyPasses: 1 } },
        (run) => {
          const m = migrationOf(run).runs[0];
          if (m.s.status !== 'active') return;
          seen[strategy] = Math.max(seen[strategy], migrationMetrics(m, run.sim.now).expectedDowntimeMs);
        },
      );
    }
    const deviceStateMs = ((256 * 1024) / (64 * 2 ** 20)) * 1000;
    expect(seen.postcopy).toBeCloseTo(deviceStateMs, 1);
    expect(seen.precopy).toBeGreaterThan(50 * deviceStateMs);
  });
});
