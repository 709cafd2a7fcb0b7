import { deflateSync, strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { allMechanisms } from '../mechanisms';
import { decodeLink, describeErrors, encodeLink, LINK_VERSION, type LinkState } from './linkCodec';
import { findPreset } from './presets';
import { MAX_LINK_CHARS } from './untrusted';
import { resolveScenario } from './validate';

const scenario = resolveScenario(findPreset('postcopy')?.scenario);

function toBase64Url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/** A link of any version carrying any JSON, as the encoder packs it. */
function pack(data: unknown, version = LINK_VERSION): string {
  return `#s=${version}.${toBase64Url(deflateSync(strToU8(JSON.stringify(data))))}`;
}

/**
 * Version 1 links, made by the version 1 encoder (commit 4e7f86d) from preset 'postcopy':
 * `#s=1.` + base64url(deflateSync(JSON {scenario, position, view, compare?}, level 9)).
 */
const V1_LAB_LINK =
  '#s=1.TVLBTutADPyVyOe8Ki1t9cjt9QkuUAlRAQfEYUlMYzW7G-26CVHFv2MntCQ32zOzM3ZOEAt0JpCH_AQthkjeQT5PISKWkK9ScMYi5PDgI_8pfNMn_iMxyWK1Tra0SZ63SUdcSafynERkSKESaIT89QQkEkP5T9pFc5TufP2VTgab6eAthZrcYeSaCfV9gn43ruyo5Eqeb5S3-Cs0w-iK_knqVZapUGsnFlo7__E1EW3HdxcpWLQ-9KIn1Wp9rm-priHPZtcpdD4cam9E6gQHcqN5HtOWFFi56mUpVhRLbr9Dvg2m4PM-Bf9bZ7Oxs6tMkOVmM-UFYtz0jKqTXcuaRDoeBlfr5Vi8KOacW1Na2gejmmPY1l7Cslz0sjPDW02ayVlZ8LjvZdjIUA-qGXznmCzek6UBepUJ1prPR3905VCLyJH9f-_kJ9mL5w9TR0yhCagaDyZGNS6wElsqcMfyzN1lo5F9MEqDqJFLGMybz5sWnf4rcjT9JLO4onFJy6uFbKkl7IR2CQpf3w';
const V1_COMPARE_LINK =
  '#s=1.TVLBTuNADP2VyOdslRZaLbltV8tlqYSogAPiME1MYzUzE824CVHFv2MnbUlOsf38_J49J4gFOhPIQ36CFkMk7yCfpxARS8iXKThjEXJ49JF_Fb7pE_-RmGSxXCUbWicvm6QjriRTeU4iMqRQCTRC_nYCEooh_CPpojlKdr76SieF9bTwnkJN7jD2mknrboLeGVd2VHIl4xvtW_yWNsPoiv5Z4mWWKVFrJxJaOz_rmpC249xFChatD73wSbRcXeJ7qmvIs9ldCp0Ph9oboTrBgdwonke3JQXWXtVyK1IUS26_Rb4PpuDLPgX_E2ezMbOtTJDlZjPtC8S47hmVJ7uTNQl1PAyqVrdj8KqYi291aWkfjHKOZlt7Ncty0evODG_UaSZnZcHjvpdiI0U9qHrwnWOy-ECWBuhNJlhrPp_80ZVDLCRH9n-9k0eyF80fpo6YQhNQOR5NjCpcYCW2VOCWZcz_60Yj-2C0DaJaLmEQbz7_tej0rcjR9BPPoorOS1vciO2WsJO2wttGdyWv5fyXv12GS3Lipep3QY7-_vUN';

/** The resolved scenario those links carry (`vmlab postcopy --print-scenario` at that commit). */
const V1_SCENARIO = {
  version: 1,
  seed: 5,
  name: 'Post-copy of a 256 MiB VM with a hot set',
  hosts: [
    { id: 'hostA', cpus: 16 },
    { id: 'hostB', cpus: 16 },
  ],
  links: [{ a: 'hostA', b: 'hostB', bandwidthMiBps: 128, latencyUs: 500 }],
  vms: [
    {
      id: 'vm1',
      host: 'hostA',
      vcpus: 2,
      memoryMiB: 256,
      memoryFill: 0.9,
      workload: {
        kind: 'hotset',
        dirtyMiBps: 48,
        workingSetFraction: 1,
        hotFraction: 0.1,
        hotShare: 0.8,
        writeBytes: 4096,
      },
      diskMiB: 64,
      diskWriteMiBps: 1,
    },
  ],
  migrations: [
    {
      vm: 'vm1',
      to: 'hostB',
      atMs: 20,
      strategy: 'postcopy',
      downtimeLimitMs: 300,
      maxRounds: 30,
      autoConverge: false,
      precopyPasses: 0,
      deviceStateKiB: 256,
      storage: 'shared',
    },
  ],
  maxEvents: 5000000,
};

/**
 * What V1_SCENARIO reads as today: version 2, the new migration fields at defaults that keep its
 * run (it sets no cap), and an empty section for each mechanism registered since.
 */
const V1_UPGRADED = {
  ...Object.fromEntries(allMechanisms().map((d) => [d.key, []])),
  ...V1_SCENARIO,
  version: 2,
  migrations: [{ ...V1_SCENARIO.migrations[0], capSwitchover: false, syncPolicy: 'rounds' }],
};

describe('link codec, version 2', () => {
  it('round-trips scenario, position, lab, view and compared variants', () => {
    const state: LinkState = {
      scenario,
      position: 1234,
      lab: 'migration',
      view: 'compare',
      compare: ['precopy', 'hybrid'],
    };
    const link = encodeLink(state);
    expect(link).toMatch(/^#s=2\.[A-Za-z0-9_-]+$/);
    expect(decodeLink(`http://localhost:5173/${link}`)).toEqual({ ok: true, state });
  });

  it('round-trips every optional field: breakpoints, speed, fromPreset, lesson, step', () => {
    const state: LinkState = {
      scenario,
      position: 0,
      lab: 'migration',
      view: 'lab',
      breakpoints: [
        { mechanism: 'migration', kind: 'round', round: 3 },
        { mechanism: 'migration', kind: 'fault' },
      ],
      speed: 0.25,
      fromPreset: 'postcopy',
      lesson: 'postcopy-faults',
      step: 4,
    };
    expect(decodeLink(encodeLink(state))).toEqual({ ok: true, state });
    expect(decodeLink(encodeLink(state).slice(1))).toEqual({ ok: true, state });
  });

  it('leaves absent optional fields absent, and defaults lab and view', () => {
    const r = decodeLink(pack({ scenario, position: 7 }));
    expect(r).toEqual({ ok: true, state: { scenario, position: 7, lab: 'migration', view: 'lab' } });
  });

  it('a damaged link is refused with a clear message', () => {
    const link = encodeLink({ scenario, position: 0, lab: 'migration', view: 'lab' });
    const cut = decodeLink(link.slice(0, link.length - 20));
    expect(cut.ok).toBe(false);
    if (!cut.ok) expect(cut.errors[0].message).toMatch(/damaged/);
    const nope = decodeLink('#nothing-here');
    if (!nope.ok) expect(nope.errors[0].message).toMatch(/no "s=" part/);
    const notBase64 = decodeLink('#s=2.%%%***');
    expect(notBase64).toEqual({ ok: false, errors: [{ path: 'link', message: expect.stringMatching(/damaged/) }] });
  });

  it('an unknown link version is refused, not misread', () => {
    const r = decodeLink('#s=3.abcdef');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toEqual({ path: 'link.version', message: expect.stringMatching(/version 3/) });
  });

  it('a scenario that fails validation is refused naming the field under scenario', () => {
    const bad = { scenario: { ...scenario, vms: [{ ...scenario.vms[0], memoryMiB: 1e6 }] }, position: 0 };
    const r = decodeLink(pack(bad));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0].path).toBe('scenario.vms[0].memoryMiB');
  });

  it.each([
    ['lab', { lab: 'nope' }, /unknown lab "nope"/],
    ['view', { view: 'migration' }, /"lab" or "compare"/],
    ['compare', { compare: ['precopy', 'teleport'] }, /variants of the migration lab/],
    ['compare', { compare: ['precopy', 'precopy', 'precopy', 'precopy', 'precopy'] }, /variants/],
    ['position', { position: -1 }, /whole number/],
    ['position', { position: 1e300 }, /whole number/],
    ['speed', { speed: 0 }, /above 0/],
    ['breakpoints', { breakpoints: [{ mechanism: 'migration' }] }, /breakpoints/],
    ['breakpoints', { breakpoints: Array(65).fill({ mechanism: 'migration', kind: 'fault' }) }, /at most 64/],
    ['fromPreset', { fromPreset: 'x'.repeat(65) }, /preset id/],
    ['lesson', { lesson: 3 }, /lesson id/],
    ['step', { step: 1.5 }, /whole number/],
  ])('a bad %s is refused naming the field', (path, fields, message) => {
    const r = decodeLink(pack({ scenario, position: 0, ...fields }));
    expect(r).toEqual({ ok: false, errors: [{ path, message: expect.stringMatching(message) }] });
  });

  it('a speed of 1e999 (Infinity once parsed) is refused', () => {
    const text = JSON.stringify({ scenario, position: 0, speed: 1 }).replace('"speed":1', '"speed":1e999');
    const r = decodeLink(`#s=2.${toBase64Url(deflateSync(strToU8(text)))}`);
    expect(r).toEqual({ ok: false, errors: [{ path: 'speed', message: expect.stringMatching(/above 0/) }] });
  });
});

describe('link codec, version 1 links open exactly as before', () => {
  it('the stored scenario still validates, upgraded to version 2', () => {
    expect(resolveScenario(V1_SCENARIO)).toEqual(V1_UPGRADED);
  });

  it('a capped migration of a version 1 link keeps its cap through switchover', () => {
    const capped = { ...V1_SCENARIO, migrations: [{ ...V1_SCENARIO.migrations[0], bandwidthLimitMiBps: 32 }] };
    const r = decodeLink(pack({ scenario: capped, position: 7, view: 'migration' }, 1));
    if (!r.ok) throw new Error(describeErrors(r.errors));
    expect(r.state.scenario.version).toBe(2);
    expect(r.state.scenario.migrations[0]).toMatchObject({ bandwidthLimitMiBps: 32, capSwitchover: true });
    const v2 = decodeLink(pack({ scenario: { ...capped, version: 2 }, position: 7 }));
    if (!v2.ok) throw new Error(describeErrors(v2.errors));
    expect(v2.state.scenario.migrations[0]).toMatchObject({ bandwidthLimitMiBps: 32, capSwitchover: false });
  });

  it('a lab link opens the migration lab at the same scenario and position', () => {
    expect(decodeLink(V1_LAB_LINK)).toEqual({
      ok: true,
      state: { scenario: V1_UPGRADED, position: 4321, lab: 'migration', view: 'lab' },
    });
  });

  it('a compare link opens compare with the same strategies', () => {
    expect(decodeLink(`https://vmlab.example/app/${V1_COMPARE_LINK}`)).toEqual({
      ok: true,
      state: {
        scenario: V1_UPGRADED,
        position: 1234,
        lab: 'migration',
        view: 'compare',
        compare: ['precopy', 'postcopy', 'hybrid'],
      },
    });
  });

  it('re-encodes as version 2 and reopens the same', () => {
    const r = decodeLink(V1_LAB_LINK);
    if (!r.ok) throw new Error('v1 link refused');
    expect(decodeLink(encodeLink(r.state))).toEqual(r);
  });
});

describe('link codec bounds', () => {
  const refusal = (r: ReturnType<typeof decodeLink>) => (r.ok ? '' : r.errors.map((e) => e.message).join('; '));

  it('text over 64 KiB is refused at once, naming the limit', () => {
    const r = decodeLink(`#s=2.${'A'.repeat(MAX_LINK_CHARS)}`);
    expect(r.ok).toBe(false);
    expect(refusal(r)).toMatch(/too large.*64 KiB/);
  });

  it('data that unpacks past 1 MiB is refused as too large', () => {
    const r = decodeLink(pack({ scenario, position: 0, pad: ' '.repeat(2 << 20) }));
    expect(refusal(r)).toMatch(/too large.*1 MiB/);
  });

  it('nesting deeper than 16 levels is refused before parsing', () => {
    const deep = JSON.parse(`${'['.repeat(17)}${']'.repeat(17)}`);
    expect(refusal(decodeLink(pack({ scenario, position: 0, x: deep })))).toMatch(/deeper than 16 levels/);
    const brackets = '['.repeat(20);
    expect(refusal(decodeLink(pack({ scenario: { ...scenario, name: brackets }, position: 0 })))).toBe('');
  });

  it.each(['__proto__', 'constructor', 'prototype'])('a %s key is refused naming its path', (key) => {
    const text = JSON.stringify({ scenario, position: 0 }).replace('"seed":', `"${key}":{"polluted":1},"seed":`);
    const link = `#s=2.${toBase64Url(deflateSync(strToU8(text)))}`;
    expect(decodeLink(link)).toEqual({
      ok: false,
      errors: [{ path: `scenario.${key}`, message: expect.stringMatching(/not allowed as a field name/) }],
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
