import { describe, expect, it } from 'vitest';
import { findPreset } from '../scenario/presets';
import type { ScenarioInput } from '../scenario/schema';
import { migrationOf, runScenario, type TwoHostOptions, twoHostScenario } from './fixtures';
import { destinationPageStates, PageState } from './pageStates';

/** A two-host scenario that runs on for `durationMs` after the migration is over. */
function longScenario(o: TwoHostOptions, durationMs: number): ScenarioInput {
  return { ...twoHostScenario(o), durationMs };
}

const guestWrites = (input: ScenarioInput) => {
  const run = runScenario(input);
  const vm = run.world.vm('vm1');
  const result = {
    m: run.metrics().migrations[0],
    vm: { host: vm.host, state: vm.state, throttlePct: vm.throttlePct },
  };
  const pagesWritten = vm.writer.pagesWritten;
  const mig = migrationOf(run).runs[0];
  const states = new Uint8Array(mig?.pages ?? 0);
  if (mig) destinationPageStates(mig, states);
  const links = run.world.links.map((l) => l.activeFlows);
  run.dispose();
  return { ...result, pagesWritten, states, links };
};

describe('a migration begins, ends, and the guest goes on', () => {
  it('cancelled before it starts: it never starts, the link carries no flow, the guest never notices', () => {
    const migrated = guestWrites(longScenario({ migration: { atMs: 50, cancelAtMs: 10 } }, 400));
    const alone = guestWrites({ ...longScenario({}, 400), migrations: [] });
    expect(migrated.m.status).toBe('cancelled');
    expect(migrated.m.transferredBytes).toBe(0);
    expect(migrated.vm).toEqual({ host: 'hostA', state: 'running', throttlePct: 0 });
    expect(migrated.links).toEqual([0]);
    expect(migrated.pagesWritten).toBe(alone.pagesWritten);
  });

  for (const strategy of ['stopcopy', 'precopy', 'postcopy', 'hybrid'] as const) {
    it(`${strategy}: after completion the guest keeps writing on the destination at full speed`, () => {
      const { m, vm, pagesWritten } = guestWrites(longScenario({ memoryMiB: 16, migration: { strategy } }, 3000));
      const alone = guestWrites({ ...longScenario({ memoryMiB: 16 }, 3000), migrations: [] });
      expect(m.status).toBe('completed');
      expect(vm).toEqual({ host: 'hostB', state: 'running', throttlePct: 0 });
      // It loses only what it could not write while it ran nowhere (downtime) or stalled.
      const lostMs = m.downtimeMs + m.postcopyStallMs;
      const perMs = alone.pagesWritten / 3000;
      expect(pagesWritten).toBeGreaterThan(alone.pagesWritten - perMs * lostMs - 2);
    });
  }

  it('auto-converge: the throttle ends with the migration', () => {
    const preset = findPreset('precopy-autoconverge');
    if (!preset) throw new Error('preset');
    const { m, vm } = guestWrites({ ...structuredClone(preset.scenario), durationMs: 20_000 });
    expect(m.status).toBe('completed');
    expect(m.cpuThrottlePercentage).toBeGreaterThan(0);
    expect(vm.throttlePct).toBe(0);
  });

  it('cancelled mid-way: not one guest write is lost, and the discarded copy shows as nothing', () => {
    const cancelled = guestWrites(longScenario({ migration: { strategy: 'precopy', cancelAtMs: 105 } }, 400));
    const alone = guestWrites({ ...longScenario({}, 400), migrations: [] });
    expect(cancelled.m.status).toBe('cancelled');
    expect(cancelled.pagesWritten).toBe(alone.pagesWritten);
    expect(cancelled.states.every((s) => s === PageState.Missing)).toBe(true);
  });

  it('stop-and-copy starting at t=0 counts its downtime from t=0', () => {
    const { m } = guestWrites(
      longScenario({ memoryMiB: 32, migration: { strategy: 'stopcopy', atMs: 0, cancelAtMs: 100 } }, 200),
    );
    expect(m.status).toBe('cancelled');
    expect(m.downtimeMs).toBeCloseTo(100, 3);
  });

  it('post-copy stranded by a link failure after resume: downtime runs on while the VM runs nowhere', () => {
    const { m, vm } = guestWrites(
      longScenario(
        {
          memoryMiB: 64,
          workload: { kind: 'hotset', dirtyMiBps: 32, hotFraction: 0.1, hotShare: 0.9 },
          linkDownAtMs: 100,
          migration: { strategy: 'postcopy' },
        },
        400,
      ),
    );
    expect(m.status).toBe('failed');
    expect(vm.state).toBe('paused');
    expect(m.downtimeMs).toBeGreaterThan(300 - 1);
  });

  it('the link-failure preset: only post-copy, already switched over, leaves the VM running nowhere', () => {
    const preset = findPreset('link-failure');
    if (!preset) throw new Error('preset');
    for (const strategy of ['stopcopy', 'precopy', 'postcopy', 'hybrid'] as const) {
      const input = structuredClone(preset.scenario);
      input.migrations = [{ ...input.migrations?.[0], vm: 'vm1', to: 'hostB', strategy }];
      const { m, vm } = guestWrites(input);
      expect(m.status, strategy).toBe('failed');
      if (strategy === 'postcopy') {
        expect(vm.state).toBe('paused');
        expect(m.verified).toBe(false);
        expect(m.downtimeMs).toBeGreaterThan(500);
      } else {
        expect(vm).toEqual({ host: 'hostA', state: 'running', throttlePct: 0 });
        expect(m.verified).toBe(true);
      }
    }
  });
});
