import { describe, expect, it } from 'vitest';
import { migrate, twoHostScenario } from '../migration/fixtures';
import { ScenarioRun } from '../run';
import { resolveScenario } from '../scenario/validate';

describe('hosts[].failAtMs: a host failure is a world fault', () => {
  it('stops every VM on the host and fails a migration from it', () => {
    const input = twoHostScenario({ memoryMiB: 64, migration: { atMs: 10, strategy: 'precopy' } });
    input.hosts = [{ id: 'hostA', failAtMs: 100 } as never, { id: 'hostB' }];
    const run = new ScenarioRun(resolveScenario(input)).runToEnd();
    const m = run.metrics().migrations[0];
    expect(m.status).toBe('failed');
    expect(m.note).toBe('host hostA failed');
    expect(run.world.vm('vm1').state).toBe('paused');
    expect(run.world.hostsDown.has('hostA')).toBe(true);
    expect(run.sim.log.some((e) => e.kind === 'host.fail')).toBe(true);
    run.dispose();
  });

  it('fails a migration to it', () => {
    const input = twoHostScenario({ memoryMiB: 64, migration: { atMs: 10, strategy: 'precopy' } });
    input.hosts = [{ id: 'hostA' }, { id: 'hostB', failAtMs: 100 } as never];
    const run = new ScenarioRun(resolveScenario(input)).runToEnd();
    expect(run.metrics().migrations[0].status).toBe('failed');
    expect(run.world.vm('vm1').state).toBe('running');
    run.dispose();
  });

  it('after the migration ended, changes nothing for it', () => {
    expect(migrate({ memoryMiB: 8 }).m.status).toBe('completed');
  });
});
