import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeLink } from '../engine/scenario/linkCodec';
import { findPreset } from '../engine/scenario/presets';
import { resolveScenario } from '../engine/scenario/validate';
import { resolveInput } from './resolveInput';

const dir = mkdtempSync(join(tmpdir(), 'vmlab-input-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const scenario = resolveScenario(findPreset('postcopy')?.scenario);

describe('resolveInput', () => {
  it('reads a preset, a scenario file and a link to the same scenario', () => {
    expect(resolveInput('postcopy')).toEqual({ ok: true, scenario, source: 'preset postcopy' });
    const path = file('ok.json', JSON.stringify(scenario));
    expect(resolveInput(path)).toEqual({ ok: true, scenario, source: `file ${path}` });
    const link = encodeLink({ scenario, position: 0, lab: 'migration', view: 'lab' });
    expect(resolveInput(`http://x/${link}`)).toEqual({ ok: true, scenario, source: 'link' });
  });

  it('refuses a file over 1 MiB before reading it', () => {
    const path = file('big.json', `{"name":"${'x'.repeat(1 << 20)}"}`);
    expect(resolveInput(path)).toEqual({
      ok: false,
      errors: [{ path: 'file', message: expect.stringMatching(/big\.json is too large: \d+ bytes.*1 MiB/) }],
    });
  });

  it('refuses deep nesting, bad JSON and prototype keys in a file, naming the field', () => {
    expect(resolveInput(file('deep.json', '['.repeat(200_000)))).toMatchObject({
      ok: false,
      errors: [{ path: 'file', message: expect.stringMatching(/deeper than 16 levels/) }],
    });
    expect(resolveInput(file('bad.json', '{"version":'))).toMatchObject({
      errors: [{ path: 'file', message: expect.stringMatching(/not valid JSON/) }],
    });
    const proto = JSON.stringify(scenario).replace('"seed":', '"__proto__":{"x":1},"seed":');
    expect(resolveInput(file('proto.json', proto))).toMatchObject({ errors: [{ path: '__proto__' }] });
  });

  it('refuses a directory, and a link over 64 KiB', () => {
    expect(resolveInput(dir)).toMatchObject({
      errors: [{ path: 'file', message: expect.stringMatching(/not a regular file/) }],
    });
    expect(resolveInput(`#s=2.${'A'.repeat(70_000)}`)).toMatchObject({
      errors: [{ path: 'link', message: expect.stringMatching(/too large.*64 KiB/) }],
    });
  });

  it("refuses a scenario over the command line's memory budget", () => {
    const big = {
      ...scenario,
      vms: [{ ...scenario.vms[0], memoryMiB: 4096, diskMiB: 4096 }],
      migrations: [{ ...scenario.migrations[0], strategy: 'precopy', storage: 'local', xbzrle: { cacheMiB: 1024 } }],
    };
    expect(resolveInput(file('big-vm.json', JSON.stringify(big)))).toEqual({
      ok: false,
      errors: [
        {
          path: 'vms',
          message: expect.stringMatching(/needs about 17 GiB .* over the command line's budget of 16 GiB/),
        },
      ],
    });
  });
});
