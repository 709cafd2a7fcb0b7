import type { FieldError } from './validate';

/**
 * Bounds for text and data that come from outside (a shared link, a scenario file), checked
 * before anything big is allocated or anything recursive runs: a link or a file must never be
 * able to hang or exhaust a tab or the CLI.
 */

/** Characters of link text decodeLink reads at all (a real link of the largest scenario is a few KiB). */
export const MAX_LINK_CHARS = 64 * 1024;
/** Bytes of JSON a link inflates to, or a scenario file holds (a real scenario is a few KiB). */
export const MAX_JSON_BYTES = 1024 * 1024;
/** Nesting of arrays and objects (the deepest field, a link's `scenario.vms[0].workload`, is 5 levels). */
export const MAX_JSON_DEPTH = 16;
/** Items in one list, or fields in one object (the longest list a scenario may hold is 64 links). */
export const MAX_JSON_ITEMS = 4096;
/** Values walked in one parsed object: a cyclic or absurdly wide object from a caller stops here. */
const MAX_JSON_VALUES = 1_000_000;

/** Field names that reach the prototype chain when data is spread or assigned. */
export const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** `64 KiB`, `1 MiB`, `3 GiB`, `2.5 GiB`. */
export function formatSize(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let n = bytes;
  let u = 0;
  while (n >= 1024 && u < units.length - 1) {
    n /= 1024;
    u++;
  }
  const digits = n >= 100 || Number.isInteger(n) ? 0 : 1;
  return `${Number(n.toFixed(digits))} ${units[u]}`;
}

/** UTF-8 length of `text`, counted without encoding it. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * Index of the first `[` or `{` (outside strings) that opens a level deeper than `maxDepth`,
 * or -1. One pass over the text, no recursion: safe on any input, JSON or not.
 */
export function deepNestingAt(text: string, maxDepth: number): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > maxDepth) return i;
    } else if (c === 0x5d || c === 0x7d) {
      // A closer without an opener is not JSON; JSON.parse refuses it at once.
      if (--depth < 0) return -1;
    }
  }
  return -1;
}

/**
 * The first problem in already-parsed data, walked iteratively: a prototype key (`__proto__`,
 * `constructor`, `prototype`), nesting deeper than `MAX_JSON_DEPTH`, or a list or object wider
 * than `MAX_JSON_ITEMS`. The path is relative to `value` (`vms[0].__proto__`), `prefix` before it.
 */
export function checkParsedData(value: unknown, prefix = ''): FieldError | undefined {
  interface Node {
    value: unknown;
    depth: number;
    parent: Node | undefined;
    key: string | number | undefined;
  }
  const pathOf = (node: Node | undefined, last?: string | number): string => {
    const parts: (string | number)[] = last === undefined ? [] : [last];
    for (let n = node; n && n.key !== undefined; n = n.parent) parts.push(n.key);
    let out = prefix;
    for (let i = parts.length - 1; i >= 0; i--) {
      const p = parts[i];
      out += typeof p === 'number' ? `[${p}]` : out ? `.${p}` : p;
    }
    return out;
  };
  const stack: Node[] = [{ value, depth: 0, parent: undefined, key: undefined }];
  let walked = 0;
  while (stack.length) {
    const node = stack.pop() as Node;
    const v = node.value;
    if (typeof v !== 'object' || v === null) continue;
    const depth = node.depth + 1;
    if (depth > MAX_JSON_DEPTH) {
      return { path: pathOf(node), message: `nests deeper than ${MAX_JSON_DEPTH} levels; a scenario needs about 5` };
    }
    if (++walked > MAX_JSON_VALUES) {
      return { path: pathOf(undefined), message: `holds more than ${MAX_JSON_VALUES} values; it is too large` };
    }
    if (Array.isArray(v)) {
      if (v.length > MAX_JSON_ITEMS) {
        return { path: pathOf(node), message: `is a list of ${v.length} items; at most ${MAX_JSON_ITEMS} are read` };
      }
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], depth, parent: node, key: i });
      continue;
    }
    const keys = Object.keys(v);
    if (keys.length > MAX_JSON_ITEMS) {
      return { path: pathOf(node), message: `has ${keys.length} fields; at most ${MAX_JSON_ITEMS} are read` };
    }
    for (const k of keys) {
      if (PROTOTYPE_KEYS.has(k)) {
        return {
          path: pathOf(node, k),
          message: `"${k}" is not allowed as a field name (it could change every object's prototype)`,
        };
      }
    }
    for (let i = keys.length - 1; i >= 0; i--) {
      stack.push({ value: (v as Record<string, unknown>)[keys[i]], depth, parent: node, key: keys[i] });
    }
  }
  return undefined;
}

export type UntrustedJson = { ok: true; value: unknown } | { ok: false; errors: FieldError[] };

/**
 * JSON from outside, bounded before it is parsed: at most `maxBytes` of UTF-8, nesting at most
 * `MAX_JSON_DEPTH` (by a linear scan, before JSON.parse), then no prototype keys and no
 * oversize lists in what it parsed to. `where` is the error path for the whole text ('link',
 * 'file') and the noun in messages (`what`: "the link", "scenario.json"); `notJson` replaces the
 * message for text that does not parse. Never throws.
 */
export function parseUntrustedJson(
  text: string,
  opts: { where: string; what: string; maxBytes?: number; dataPrefix?: string; notJson?: string },
): UntrustedJson {
  const { where, what } = opts;
  const maxBytes = opts.maxBytes ?? MAX_JSON_BYTES;
  const fail = (message: string, path = where): UntrustedJson => ({ ok: false, errors: [{ path, message }] });
  try {
    if (typeof text !== 'string') return fail(`${what} is not text`);
    // A UTF-8 byte is at least a third of a UTF-16 unit: only count bytes when it could matter.
    if (text.length > maxBytes || (text.length * 3 > maxBytes && utf8Length(text) > maxBytes)) {
      return fail(`${what} is too large: over ${formatSize(maxBytes)} of data (the limit); a scenario is a few KiB`);
    }
    if (deepNestingAt(text, MAX_JSON_DEPTH) >= 0) {
      return fail(`${what} nests lists and objects deeper than ${MAX_JSON_DEPTH} levels; a scenario needs about 5`);
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      return fail(opts.notJson ?? `${what} is not valid JSON (${(e as Error).message})`);
    }
    const problem = checkParsedData(value, opts.dataPrefix ?? '');
    return problem ? { ok: false, errors: [problem] } : { ok: true, value };
  } catch (e) {
    return fail(`${what} could not be read (${e instanceof Error ? e.message : String(e)})`);
  }
}
