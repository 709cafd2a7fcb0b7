import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario/validate';
import { protectScenario } from './fixtures';

const errorsOf = (patch: (s: ReturnType<typeof protectScenario>) => unknown) => {
  const s = protectScenario();
  const r = parseScenario(patch(s) ?? s);
  return r.ok ? [] : r.errors.map((e) => `${e.path}: ${e.message}`);
};

describe('checkpoints[] validation', () => {
  it('fills the defaults from MECHANISMS.md', () => {
    const r = parseScenario({ ...protectScenario(), checkpoints: [{ vm: 'vm1', backup: 'hostB' }] });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.scenario.checkpoints[0]).toEqual({
      vm: 'vm1',
      backup: 'hostB',
      atMs: 0,
      strategy: 'remus',
      epochMs: 200,
      outputCommit: true,
      cachePages: 8192,
      diffs: true,
      history: true,
      heartbeatMs: 100,
      heartbeatMisses: 3,
      traffic: { requestsPerSec: 1000, responseBytes: 1500 },
      costs: { stunUs: 1000, scanNsPerPage: 0.1, clearNsPerDirtyPage: 50, copyNsPerPage: 450 },
    });
  });

  it('refuses a backup on the primary host, or one no link reaches, naming the field', () => {
    expect(errorsOf((s) => ({ ...s, checkpoints: [{ ...s.checkpoints[0], backup: 'hostA' }] }))).toEqual([
      'checkpoints[0].backup: the backup must be another host than the primary "hostA"',
    ]);
    expect(
      errorsOf((s) => ({ ...s, hosts: [...s.hosts, { id: 'hostC' }], checkpoints: [{ vm: 'vm1', backup: 'hostC' }] })),
    ).toEqual(['checkpoints[0].backup: no link between "hostA" and "hostC"']);
    expect(errorsOf((s) => ({ ...s, checkpoints: [{ ...s.checkpoints[0], backup: 'nowhere' }] }))).toEqual([
      'checkpoints[0].backup: no host with id "nowhere"',
    ]);
  });

  it('refuses unknown keys, bad values and a run without an end', () => {
    expect(errorsOf((s) => ({ ...s, checkpoints: [{ ...s.checkpoints[0], interval: 3 }] }))[0]).toMatch(
      /^checkpoints\[0\]/,
    );
    expect(errorsOf((s) => ({ ...s, checkpoints: [{ ...s.checkpoints[0], epochMs: 0 }] }))[0]).toMatch(
      /^checkpoints\[0\]\.epochMs: must be at least 1/,
    );
    expect(errorsOf((s) => ({ ...s, checkpoints: [{ ...s.checkpoints[0], strategy: 'colo' }] }))[0]).toMatch(
      /^checkpoints\[0\]\.strategy: must be one of/,
    );
    expect(errorsOf((s) => ({ ...s, hosts: [{ id: 'hostA', failAtMs: -1 }, { id: 'hostB' }] }))[0]).toMatch(
      /^hosts\[0\]\.failAtMs/,
    );
    expect(errorsOf((s) => ({ ...s, durationMs: undefined }))).toEqual([
      'durationMs: a checkpointed VM is protected until the run ends: the scenario needs a durationMs',
    ]);
  });
});
