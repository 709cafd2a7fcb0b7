import { deflateSync, Inflate, strFromU8, strToU8 } from 'fflate';
import type { BreakpointSpec } from '../mechanismDefinition';
import { allMechanisms, mechanismById } from '../mechanisms';
import { LIMITS } from './limits';
import type { Scenario } from './schema';
import { formatSize, MAX_JSON_BYTES, MAX_LINK_CHARS, parseUntrustedJson } from './untrusted';
import { type FieldError, formatFieldError, parseScenario } from './validate';

/** Link format version: the `2` in `#s=2.<payload>`. Version 1 links still open (see `upgradeV1`). */
export const LINK_VERSION = 2;

export type ViewId = 'lab' | 'compare';

/** Breakpoints a link may carry (the app sets a handful). */
const MAX_BREAKPOINTS = 64;

/** What a shared link reopens: the resolved scenario, the position, the lab and how it was being looked at. */
export interface LinkState {
  /** Resolved (every default filled in), so the link replays the same run after defaults change. */
  scenario: Scenario;
  /** Event index the run is stopped at. */
  position: number;
  /** The mechanism whose lab is open. */
  lab: string;
  view: ViewId;
  /** In compare: the lab's variant ids run side by side. */
  compare?: string[];
  breakpoints?: BreakpointSpec[];
  /** Playback speed, simulated seconds per second. */
  speed?: number;
  /** The preset this scenario is, or was edited from (see `presetIdentity`). */
  fromPreset?: string;
  lesson?: string;
  step?: number;
}

export type DecodeResult = { ok: true; state: LinkState } | { ok: false; errors: FieldError[] };

export function encodeLink(state: LinkState): string {
  const json = JSON.stringify(stripUndefined(state));
  return `#s=${LINK_VERSION}.${toBase64Url(deflateSync(strToU8(json), { level: 9 }))}`;
}

/**
 * Accepts a whole URL, a fragment (`#s=...`) or just `s=...`. Links are untrusted: every
 * failure is a `{ok: false}` with a message, never a throw, and nothing big is allocated
 * (text over `MAX_LINK_CHARS` is refused at once; inflation stops past `MAX_JSON_BYTES`).
 */
export function decodeLink(link: string): DecodeResult {
  try {
    return decodeUntrusted(link);
  } catch (e) {
    return fail(`the link could not be read (${e instanceof Error ? e.message : String(e)})`);
  }
}

function fail(message: string, path = 'link'): DecodeResult {
  return { ok: false, errors: [{ path, message }] };
}

function decodeUntrusted(link: string): DecodeResult {
  if (typeof link !== 'string') return fail('the link is not text');
  if (link.length > MAX_LINK_CHARS) {
    return fail(
      `the link is too large: ${link.length} characters, over the limit of ${formatSize(MAX_LINK_CHARS)} ` +
        `(${MAX_LINK_CHARS} characters); a vmlab link is a few KiB`,
    );
  }
  const hash = link.includes('#') ? link.slice(link.indexOf('#') + 1) : link;
  const param = hash.split('&').find((p) => p.startsWith('s='));
  if (!param) return fail('the link has no "s=" part; a vmlab link ends in #s=2.<data>');
  const body = param.slice(2);
  const dot = body.indexOf('.');
  const version = Number(body.slice(0, dot));
  if (dot < 1 || !Number.isInteger(version)) return fail('the link does not start with a version number ("s=2.")');
  if (version !== 1 && version !== LINK_VERSION) {
    return fail(
      `link version ${version} is not supported; this vmlab opens links of version 1 to ${LINK_VERSION}`,
      'link.version',
    );
  }
  const damaged = 'the link is damaged (its data does not decompress to JSON); was it cut off when copied?';
  let bytes: Uint8Array | 'too large';
  try {
    bytes = inflateBounded(fromBase64Url(body.slice(dot + 1)), MAX_JSON_BYTES);
  } catch {
    return fail(damaged);
  }
  if (bytes === 'too large') {
    return fail(
      `the link is too large: its data unpacks to more than ${formatSize(MAX_JSON_BYTES)} (the limit); ` +
        'a vmlab link unpacks to a few KiB',
    );
  }
  const json = parseUntrustedJson(strFromU8(bytes), { where: 'link', what: 'the link data', notJson: damaged });
  if (!json.ok) return json;
  const raw = json.value;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail('the link data is not an object');
  const obj = version === 1 ? upgradeV1(raw as Record<string, unknown>) : (raw as Record<string, unknown>);
  const parsed = parseScenario(obj.scenario);
  if (!parsed.ok)
    return { ok: false, errors: parsed.errors.map((e) => ({ ...e, path: joinPath('scenario', e.path) })) };
  const position = obj.position ?? 0;
  if (typeof position !== 'number' || !Number.isInteger(position) || position < 0 || position > LIMITS.maxEvents) {
    return fail(`must be a whole number of events, 0 to ${LIMITS.maxEvents}`, 'position');
  }
  const lab = obj.lab ?? 'migration';
  const def = typeof lab === 'string' ? mechanismById(lab) : undefined;
  if (!def)
    return fail(
      `unknown lab "${String(lab).slice(0, 40)}"; labs: ${allMechanisms()
        .map((d) => d.id)
        .join(', ')}`,
      'lab',
    );
  const view = obj.view ?? 'lab';
  if (view !== 'lab' && view !== 'compare') return fail('must be "lab" or "compare"', 'view');
  const variants = def.variants.map((v) => v.id);
  const compare = obj.compare;
  if (
    compare !== undefined &&
    (!Array.isArray(compare) || compare.length > variants.length || !compare.every((c) => variants.includes(c)))
  ) {
    return fail(`must list variants of the ${def.id} lab among ${variants.join(', ')}`, 'compare');
  }
  const state: LinkState = { scenario: parsed.scenario, position, lab: def.id, view };
  if (compare) state.compare = compare as string[];
  const breakpoints = obj.breakpoints;
  if (breakpoints !== undefined) {
    if (!Array.isArray(breakpoints) || breakpoints.length > MAX_BREAKPOINTS || !breakpoints.every(isBreakpointSpec))
      return fail(
        `must be a list of at most ${MAX_BREAKPOINTS} breakpoints, each {mechanism, kind, ...numbers}`,
        'breakpoints',
      );
    state.breakpoints = breakpoints;
  }
  if (obj.speed !== undefined) {
    if (typeof obj.speed !== 'number' || !(obj.speed > 0) || !Number.isFinite(obj.speed))
      return fail('must be a number above 0', 'speed');
    state.speed = obj.speed;
  }
  if (obj.fromPreset !== undefined) {
    if (typeof obj.fromPreset !== 'string' || obj.fromPreset.length > 64)
      return fail('must be a preset id', 'fromPreset');
    state.fromPreset = obj.fromPreset;
  }
  if (obj.lesson !== undefined) {
    if (typeof obj.lesson !== 'string' || obj.lesson.length > 64) return fail('must be a lesson id', 'lesson');
    state.lesson = obj.lesson;
  }
  if (obj.step !== undefined) {
    if (typeof obj.step !== 'number' || !Number.isSafeInteger(obj.step) || obj.step < 0)
      return fail('must be a whole number, 0 or more', 'step');
    state.step = obj.step;
  }
  return { ok: true, state };
}

/** Version 1 (`{scenario, position, view: migration|compare, compare?: strategies}`) in version 2's shape. */
function upgradeV1(v1: Record<string, unknown>): Record<string, unknown> {
  const { scenario, position, view, compare } = v1;
  return {
    scenario,
    position,
    lab: 'migration',
    view: view === 'compare' ? 'compare' : view === undefined || view === 'migration' ? 'lab' : view,
    ...(compare !== undefined ? { compare } : {}),
  };
}

/**
 * Raw-deflate `data`, pushed to fflate's streaming inflater a kilobyte at a time (deflate
 * expands a byte to at most about 1 KiB), stopping as soon as the output passes `limit`.
 * Throws on data that is not deflate (the caller says the link is damaged).
 */
function inflateBounded(data: Uint8Array, limit: number): Uint8Array | 'too large' {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const inflater = new Inflate((chunk) => {
    total += chunk.length;
    if (total <= limit) chunks.push(chunk);
  });
  const step = 1024;
  let at = 0;
  do {
    const end = Math.min(at + step, data.length);
    inflater.push(data.subarray(at, end), end === data.length);
    if (total > limit) return 'too large';
    at = end;
  } while (at < data.length);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}

function isBreakpointSpec(b: unknown): b is BreakpointSpec {
  if (typeof b !== 'object' || b === null || Array.isArray(b)) return false;
  const o = b as Record<string, unknown>;
  const entries = Object.entries(o);
  return (
    typeof o.mechanism === 'string' &&
    typeof o.kind === 'string' &&
    entries.length <= 16 &&
    entries.every(([, v]) => (typeof v === 'string' && v.length <= 64) || (typeof v === 'number' && Number.isFinite(v)))
  );
}

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export function describeErrors(errors: FieldError[]): string {
  return errors.map(formatFieldError).join('; ');
}

function joinPath(prefix: string, path: string): string {
  return path ? (path.startsWith('[') ? `${prefix}${path}` : `${prefix}.${path}`) : prefix;
}

function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
