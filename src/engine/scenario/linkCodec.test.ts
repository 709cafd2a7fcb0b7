import { deflateSync, strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { decodeLink, encodeLink } from './linkCodec';
import { findPreset } from './presets';
import { resolveScenario } from './validate';

const scenario = resolveScenario(findPreset('postcopy')?.scenario);

describe('link codec', () => {
  it('round-trips scenario, position, view and compared strategies', () => {
    const link = encodeLink({ scenario, position: 1234, view: 'compare', compare: ['precopy', 'hybrid'] });
    expect(link).toMatch(/^#s=1\.[A-Za-z0-9_-]+$/);
    const decoded = decodeLink(`http://localhost:5173/${link}`);
    expect(decoded).toEqual({
      ok: true,
      state: { scenario, position: 1234, view: 'compare', compare: ['precopy', 'hybrid'] },
    });
  });

  it('a damaged link is refused with a clear message', () => {
    const link = encodeLink({ scenario, position: 0, view: 'migration' });
    const cut = decodeLink(link.slice(0, link.length - 20));
    expect(cut.ok).toBe(false);
    if (!cut.ok) expect(cut.errors[0].message).toMatch(/damaged/);
    const nope = decodeLink('#nothing-here');
    if (!nope.ok) expect(nope.errors[0].message).toMatch(/no "s=" part/);
  });

  it('an unknown link version is refused, not misread', () => {
    const r = decodeLink('#s=2.abcdef');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toEqual({ path: 'link.version', message: expect.stringMatching(/version 2/) });
  });

  it('a scenario that fails validation is refused naming the field under scenario', () => {
    const bad = {
      scenario: { ...scenario, vms: [{ ...scenario.vms[0], memoryMiB: 1e6 }] },
      position: 0,
      view: 'migration',
    };
    const b64 = btoa(String.fromCharCode(...deflateSync(strToU8(JSON.stringify(bad)))))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');
    const r = decodeLink(`#s=1.${b64}`);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0].path).toBe('scenario.vms[0].memoryMiB');
  });
});
