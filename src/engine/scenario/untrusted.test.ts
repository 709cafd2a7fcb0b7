import { describe, expect, it } from 'vitest';
import {
  checkParsedData,
  deepNestingAt,
  formatSize,
  MAX_JSON_BYTES,
  MAX_JSON_DEPTH,
  MAX_JSON_ITEMS,
  parseUntrustedJson,
  utf8Length,
} from './untrusted';
import { parseScenario } from './validate';

const opts = { where: 'file', what: 's.json' };

describe('deepNestingAt', () => {
  it('counts [ and { outside strings only, escapes included', () => {
    expect(deepNestingAt('[[[]]]', 3)).toBe(-1);
    expect(deepNestingAt('[[[[]]]]', 3)).toBe(3);
    expect(deepNestingAt('{"a":{"b":[1]}}', 3)).toBe(-1);
    expect(deepNestingAt(`["${'['.repeat(100)}"]`, 1)).toBe(-1);
    expect(deepNestingAt(`["\\"${'['.repeat(5)}"]`, 1)).toBe(-1);
    expect(deepNestingAt('["\\\\",[[', 2)).toBe(7);
    expect(deepNestingAt('[]'.repeat(1000), 1)).toBe(-1);
  });

  it('scans a million openers without recursion', () => {
    expect(deepNestingAt('['.repeat(1_000_000), MAX_JSON_DEPTH)).toBe(MAX_JSON_DEPTH);
    expect(deepNestingAt(']'.repeat(10) + '['.repeat(1_000_000), MAX_JSON_DEPTH)).toBe(-1);
  });
});

describe('checkParsedData', () => {
  it('names the path of a prototype key, however it got there', () => {
    expect(checkParsedData(JSON.parse('{"vms":[{"workload":{"__proto__":{}}}]}'))).toEqual({
      path: 'vms[0].workload.__proto__',
      message: expect.stringMatching(/"__proto__" is not allowed as a field name/),
    });
    expect(checkParsedData({ a: [1, { constructor: 1 }] }, 'link')).toMatchObject({ path: 'link.a[1].constructor' });
    expect(checkParsedData({ prototype: 1 })).toMatchObject({ path: 'prototype' });
    expect(checkParsedData({ proto: 1, constructors: [], __proto: 2 })).toBeUndefined();
  });

  it('refuses nesting, lists and objects past the bounds, and stops on cycles', () => {
    let deep: unknown = 1;
    for (let i = 0; i < MAX_JSON_DEPTH; i++) deep = [deep];
    expect(checkParsedData(deep)).toBeUndefined();
    expect(checkParsedData({ x: deep })).toMatchObject({ message: expect.stringMatching(/deeper than 16/) });
    expect(checkParsedData({ vms: new Array(MAX_JSON_ITEMS + 1).fill(0) })).toEqual({
      path: 'vms',
      message: `is a list of ${MAX_JSON_ITEMS + 1} items; at most ${MAX_JSON_ITEMS} are read`,
    });
    const wide = Object.fromEntries(Array.from({ length: MAX_JSON_ITEMS + 1 }, (_, i) => [`k${i}`, i]));
    expect(checkParsedData({ a: wide })).toMatchObject({ path: 'a', message: expect.stringMatching(/fields/) });
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(checkParsedData(cycle)).toMatchObject({ message: expect.stringMatching(/deeper/) });
  });
});

describe('parseUntrustedJson', () => {
  it('parses what is within bounds', () => {
    expect(parseUntrustedJson('{"a":[1,2]}', opts)).toEqual({ ok: true, value: { a: [1, 2] } });
  });

  it('refuses text over the limit in UTF-8 bytes, naming the limit', () => {
    const text = `"${'é'.repeat(MAX_JSON_BYTES / 2)}"`;
    expect(text.length).toBeLessThan(MAX_JSON_BYTES);
    expect(parseUntrustedJson(text, opts)).toEqual({
      ok: false,
      errors: [
        { path: 'file', message: 's.json is too large: over 1 MiB of data (the limit); a scenario is a few KiB' },
      ],
    });
  });

  it('refuses deep nesting before JSON.parse, bad JSON and prototype keys, with the path given', () => {
    expect(parseUntrustedJson('['.repeat(100_000), opts)).toMatchObject({
      ok: false,
      errors: [{ path: 'file', message: expect.stringMatching(/s.json nests .* deeper than 16 levels/) }],
    });
    expect(parseUntrustedJson('{"a":', opts)).toMatchObject({
      errors: [{ path: 'file', message: expect.stringMatching(/s.json is not valid JSON/) }],
    });
    expect(parseUntrustedJson('{"hosts":[{"__proto__":{"x":1}}]}', opts)).toMatchObject({
      errors: [{ path: 'hosts[0].__proto__' }],
    });
  });
});

describe('parseScenario input bounds', () => {
  it('refuses prototype keys and deep nesting in objects handed to it', () => {
    const input = JSON.parse('{"version":1,"hosts":[{"id":"a","__proto__":{"cpus":1}}]}');
    expect(parseScenario(input)).toEqual({
      ok: false,
      errors: [{ path: 'hosts[0].__proto__', message: expect.stringMatching(/not allowed/) }],
    });
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(parseScenario({ version: 1, hosts: [{ id: 'a' }], name: deep })).toMatchObject({
      ok: false,
      errors: [{ message: expect.stringMatching(/deeper than 16/) }],
    });
  });
});

describe('sizes', () => {
  it('counts UTF-8 bytes and formats sizes', () => {
    expect(utf8Length('aé€😀')).toBe(1 + 2 + 3 + 4);
    expect(utf8Length('\ud800x')).toBe(3 + 1);
    expect(formatSize(64 * 1024)).toBe('64 KiB');
    expect(formatSize(1 << 20)).toBe('1 MiB');
    expect(formatSize(11 * 2 ** 30)).toBe('11 GiB');
    expect(formatSize(2.5 * 2 ** 30)).toBe('2.5 GiB');
    expect(formatSize(512)).toBe('512 bytes');
  });
});
