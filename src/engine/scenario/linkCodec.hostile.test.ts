import * as fc from 'fast-check';
import { deflateSync, strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { type DecodeResult, decodeLink, encodeLink, type LinkState } from './linkCodec';
import { findPreset } from './presets';
import { MAX_LINK_CHARS, PROTOTYPE_KEYS } from './untrusted';
import { parseScenario, resolveScenario } from './validate';

/**
 * Links are untrusted input: whatever a link holds, decodeLink returns, never throws, and
 * either refuses it with a message or opens a scenario that validates. Nothing here asserts
 * time; the bombs are checked by the reason they are refused (too large, found before the
 * data is unpacked or parsed in full).
 */

const scenario = resolveScenario(findPreset('postcopy')?.scenario);
const valid: LinkState = {
  scenario,
  position: 100,
  lab: 'migration',
  view: 'compare',
  compare: ['precopy', 'postcopy'],
  breakpoints: [{ mechanism: 'migration', kind: 'round', round: 2 }],
  speed: 1,
  fromPreset: 'postcopy',
};
const validLink = encodeLink(valid);
const validBody = validLink.slice('#s=2.'.length);

function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

const packText = (text: string, version = 2) => `#s=${version}.${toBase64Url(deflateSync(strToU8(text)))}`;
const packBytes = (bytes: Uint8Array, version = 2) => `#s=${version}.${toBase64Url(deflateSync(bytes))}`;

/** The property: a result, never a throw; a refusal says why; an opened link validates. */
function checkResult(link: string): DecodeResult {
  let r: DecodeResult | undefined;
  expect(() => {
    r = decodeLink(link);
  }).not.toThrow();
  const result = r as DecodeResult;
  if (result.ok) {
    const again = parseScenario(result.state.scenario);
    expect(again.ok).toBe(true);
    if (again.ok) expect(again.scenario).toEqual(result.state.scenario);
    expect(Number.isInteger(result.state.position)).toBe(true);
  } else {
    expect(result.errors.length).toBeGreaterThan(0);
    for (const e of result.errors) {
      expect(typeof e.path).toBe('string');
      expect(e.message.length).toBeGreaterThan(0);
    }
  }
  return result;
}

const message = (r: DecodeResult) => (r.ok ? '' : r.errors.map((e) => `${e.path}: ${e.message}`).join('; '));

describe('decodeLink on hostile links', () => {
  it('the valid link opens (the mutations start from it)', () => {
    expect(checkResult(validLink)).toEqual({ ok: true, state: valid });
  });

  it('random bit flips in the packed data', () => {
    const bytes = fromBase64Url(validBody);
    fc.assert(
      fc.property(fc.array(fc.nat({ max: bytes.length * 8 - 1 }), { minLength: 1, maxLength: 8 }), (bits) => {
        const flipped = bytes.slice();
        for (const b of bits) flipped[b >> 3] ^= 1 << (b & 7);
        checkResult(`#s=2.${toBase64Url(flipped)}`);
        checkResult(`#s=1.${toBase64Url(flipped)}`);
      }),
      { numRuns: 400 },
    );
  });

  it('random character edits and truncations of the link text', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: validLink.length }),
        fc.array(fc.tuple(fc.nat({ max: validLink.length - 1 }), fc.string({ maxLength: 3 })), { maxLength: 4 }),
        (cut, edits) => {
          let link = validLink;
          for (const [at, text] of edits) link = link.slice(0, at) + text + link.slice(at + 1);
          checkResult(link.slice(0, cut));
          checkResult(link);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('random strings, with and without a link prefix', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 300 }),
        fc.constantFrom('', '#s=2.', '#s=1.', 's=', '#'),
        (s, p) => {
          checkResult(p + s);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('random JSON text, deflated, as version 1 and 2', () => {
    fc.assert(
      fc.property(fc.json({ maxDepth: 6 }), fc.constantFrom(1, 2), (json, version) => {
        checkResult(packText(json, version));
      }),
      { numRuns: 300 },
    );
  });

  it('random bytes, deflated', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        checkResult(packBytes(bytes));
      }),
      { numRuns: 200 },
    );
  });

  it('the valid link with one field replaced by anything (prototype keys included)', () => {
    const keys = fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS), fc.string({ maxLength: 8 }));
    const value = fc.letrec((tie) => ({
      any: fc.oneof(
        { depthSize: 'small' },
        fc.jsonValue({ maxDepth: 2 }),
        fc.dictionary(keys, tie('any'), { maxKeys: 3 }),
        fc.array(tie('any'), { maxLength: 3 }),
      ),
    })).any;
    const paths = [
      [],
      ['scenario'],
      ['scenario', 'vms', 0],
      ['scenario', 'vms', 0, 'workload'],
      ['scenario', 'migrations', 0],
      ['scenario', 'hosts', 1],
      ['breakpoints', 0],
    ] as const;
    let opened = 0;
    fc.assert(
      fc.property(fc.constantFrom(...paths), keys, value, (path, key, v) => {
        const data = structuredClone(valid) as unknown as Record<string | number, unknown>;
        let at = data;
        for (const p of path) at = at[p] as Record<string | number, unknown>;
        // defineProperty, so `__proto__` is a field of the JSON, as an attacker would write it.
        Object.defineProperty(at, key, { value: v, enumerable: true, writable: true, configurable: true });
        const r = checkResult(packText(JSON.stringify(data)));
        if (PROTOTYPE_KEYS.has(key)) expect(message(r)).toMatch(/not allowed as a field name/);
        if (r.ok) opened++;
      }),
      { numRuns: 500 },
    );
    // Some replacements are harmless (a breakpoint's extra number): the property met both sides.
    expect(opened).toBeGreaterThan(0);
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('vms');
  });

  it('prototype keys deep in the data are refused naming their path', () => {
    for (const key of PROTOTYPE_KEYS) {
      const text = JSON.stringify(valid).replace('"kind":"hotset"', `"kind":"hotset","${key}":{"isAdmin":true}`);
      const r = checkResult(packText(text));
      expect(r).toEqual({
        ok: false,
        errors: [{ path: `scenario.vms[0].workload.${key}`, message: expect.stringMatching(/not allowed/) }],
      });
    }
  });

  it('100000 nested arrays are refused for nesting, not by a stack overflow', () => {
    const r = checkResult(packText(`${'['.repeat(100_000)}${']'.repeat(100_000)}`));
    expect(message(r)).toMatch(/deeper than 16 levels/);
    const inScenario = JSON.stringify(valid).replace(
      '"seed":5',
      `"seed":${'['.repeat(100_000)}5${']'.repeat(100_000)}`,
    );
    expect(message(checkResult(packText(inScenario)))).toMatch(/deeper than 16 levels/);
    // Unbalanced: only openers.
    expect(message(checkResult(packText('{"a":'.repeat(50_000))))).toMatch(/deeper than 16 levels/);
  });

  it('a decompression bomb of zeros is refused as too large once it passes 1 MiB', () => {
    // 40 MiB of zeros deflate to ~40 KiB: the text fits the link limit, the data does not.
    const r = checkResult(packBytes(new Uint8Array(40 << 20)));
    expect(message(r)).toMatch(/too large: its data unpacks to more than 1 MiB/);
  });

  it("a decompression bomb of '[' is refused as too large, not parsed", () => {
    const r = checkResult(packBytes(new Uint8Array(40 << 20).fill(0x5b)));
    expect(message(r)).toMatch(/too large: its data unpacks to more than 1 MiB/);
  });

  it('a 64 MiB bomb does not fit in a link: refused by its length, before unpacking', () => {
    const link = packBytes(new Uint8Array(64 << 20));
    expect(link.length).toBeGreaterThan(MAX_LINK_CHARS);
    expect(message(checkResult(link))).toMatch(/too large: \d+ characters, over the limit of 64 KiB/);
  });

  it('oversize text of any kind is refused at once', () => {
    for (const link of [
      `#s=2.${'A'.repeat(MAX_LINK_CHARS)}`,
      'x'.repeat(10 << 20),
      `${validLink}&pad=${'z'.repeat(MAX_LINK_CHARS)}`,
    ]) {
      expect(message(checkResult(link))).toMatch(/link: the link is too large.*64 KiB/);
    }
    expect(checkResult(validLink.padStart(MAX_LINK_CHARS, 'x')).ok).toBe(true);
  });

  it('non-string input from a careless caller is refused, not thrown', () => {
    for (const x of [undefined, null, 42, {}, ['#s=2.']]) {
      expect(checkResult(x as unknown as string).ok).toBe(false);
    }
  });
});
