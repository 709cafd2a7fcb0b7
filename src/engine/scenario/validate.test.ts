import { describe, expect, it } from 'vitest';
import { twoHostScenario } from '../migration/fixtures';
import { PRESETS } from './presets';
import { formatFieldError, parseScenario } from './validate';

function errorsOf(input: unknown): string[] {
  const r = parseScenario(input);
  if (r.ok) throw new Error('expected the scenario to be refused');
  return r.errors.map(formatFieldError);
}

describe('scenario validation', () => {
  it('fills in defaults', () => {
    const r = parseScenario({ version: 1, hosts: [{ id: 'h' }] });
    expect(r.ok).toBe(true);
    if (r.ok)
      expect(r.scenario).toMatchObject({ seed: 1, links: [], vms: [], migrations: [], hosts: [{ id: 'h', cpus: 8 }] });
    const full = parseScenario(twoHostScenario());
    if (!full.ok) throw new Error();
    expect(full.scenario.migrations[0]).toMatchObject({ strategy: 'precopy', downtimeLimitMs: 300, maxRounds: 30 });
    expect(full.scenario.vms[0].workload).toMatchObject({ kind: 'uniform', workingSetFraction: 1, writeBytes: 4096 });
  });

  it('refuses unknown keys by name', () => {
    const s = twoHostScenario() as Record<string, unknown>;
    expect(errorsOf({ ...s, colour: 'red' })).toEqual(['unknown field "colour"']);
    const withBadWorkload = twoHostScenario({ workload: { kind: 'sweep', speed: 3 } as never });
    expect(errorsOf(withBadWorkload)).toEqual(['vms[0].workload: unknown field "speed"']);
  });

  it('names the field that is out of range or missing', () => {
    expect(errorsOf(twoHostScenario({ memoryMiB: 9000 }))[0]).toMatch(/^vms\[0\]\.memoryMiB: .*4096/);
    expect(errorsOf(twoHostScenario({ bandwidthMiBps: -1 }))[0]).toMatch(/^links\[0\]\.bandwidthMiBps: /);
    expect(errorsOf({ version: 1 })).toEqual(['hosts: is required']);
    expect(errorsOf(twoHostScenario({ migration: { strategy: 'teleport' as never } }))[0]).toMatch(
      /^migrations\[0\]\.strategy: /,
    );
  });

  it('says in words what the field must be', () => {
    const vm = (fields: Record<string, unknown>) => twoHostScenario({ vm: fields as never });
    expect(errorsOf(twoHostScenario({ memoryMiB: 9000 }))).toEqual(['vms[0].memoryMiB: must be at most 4096']);
    expect(errorsOf(vm({ memoryMiB: 'lots' }))).toEqual(['vms[0].memoryMiB: must be a number']);
    expect(errorsOf(vm({ memoryMiB: 1.5 }))).toEqual(['vms[0].memoryMiB: must be a whole number']);
    expect(errorsOf(twoHostScenario({ bandwidthMiBps: 0 }))).toEqual(['links[0].bandwidthMiBps: must be more than 0']);
    expect(errorsOf({ version: 1, hosts: [] })).toEqual(['hosts: needs at least 1 item']);
    expect(errorsOf(twoHostScenario({ workload: { kind: 'busy' } as never }))).toEqual([
      'vms[0].workload.kind: must be one of "sweep", "uniform", "hotset", "idle"',
    ]);
    expect(errorsOf('a scenario')).toEqual(['a scenario must be an object (JSON in braces)']);
  });

  it('checks references between ids', () => {
    expect(errorsOf(twoHostScenario({ vm: { host: 'hostZ' } }))).toContain('vms[0].host: no host with id "hostZ"');
    expect(errorsOf(twoHostScenario({ migration: { to: 'hostA' } }))).toContain(
      'migrations[0].to: VM "vm1" already runs on "hostA"',
    );
    expect(errorsOf(twoHostScenario({ migration: { vm: 'vm9' } }))).toContain('migrations[0].vm: no VM with id "vm9"');
  });

  it('enforces the total memory limit', () => {
    const s = twoHostScenario({ memoryMiB: 4096 });
    const vms = [0, 1, 2].map((i) => ({ ...s.vms?.[0], id: `vm${i}`, host: 'hostA', memoryMiB: 4096 }));
    expect(errorsOf({ ...s, vms, migrations: [] })).toEqual([
      'vms: VM memory and disks add up to 12288 MiB; the limit is 8192 MiB',
    ]);
  });

  it('refuses an unknown version with a clear message', () => {
    expect(errorsOf({ ...twoHostScenario(), version: 3 })).toEqual([
      'version: scenario version 3 is not supported; this vmlab reads versions 1 to 2',
    ]);
  });

  it('every preset is valid', () => {
    for (const p of PRESETS) expect(parseScenario(p.scenario).ok, p.id).toBe(true);
  });
});
