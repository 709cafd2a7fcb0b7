import { deflateSync, inflateSync, strFromU8, strToU8 } from 'fflate';
import type { Scenario, Strategy } from './schema';
import { type FieldError, formatFieldError, parseScenario } from './validate';

/** Link format version: the `1` in `#s=1.<payload>`. */
export const LINK_VERSION = 1;

export type ViewId = 'migration' | 'compare';

/** What a shared link reopens: the scenario (with its seed), the position and the open view. */
export interface LinkState {
  scenario: Scenario;
  /** Event index the run is stopped at. */
  position: number;
  view: ViewId;
  /** In compare mode: the strategies run side by side on the scenario's first migration. */
  compare?: Strategy[];
}

export type DecodeResult = { ok: true; state: LinkState } | { ok: false; errors: FieldError[] };

export function encodeLink(state: LinkState): string {
  const json = JSON.stringify({
    scenario: state.scenario,
    position: state.position,
    view: state.view,
    ...(state.compare ? { compare: state.compare } : {}),
  });
  return `#s=${LINK_VERSION}.${toBase64Url(deflateSync(strToU8(json), { level: 9 }))}`;
}

/** Accepts a whole URL, a fragment (`#s=...`) or just `s=...`. */
export function decodeLink(link: string): DecodeResult {
  const fail = (message: string, path = 'link'): DecodeResult => ({ ok: false, errors: [{ path, message }] });
  const hash = link.includes('#') ? link.slice(link.indexOf('#') + 1) : link;
  const param = hash.split('&').find((p) => p.startsWith('s='));
  if (!param) return fail('the link has no "s=" part; a vmlab link ends in #s=1.<data>');
  const body = param.slice(2);
  const dot = body.indexOf('.');
  const version = Number(body.slice(0, dot));
  if (dot < 1 || !Number.isInteger(version)) return fail('the link does not start with a version number ("s=1.")');
  if (version !== LINK_VERSION) {
    return fail(
      `link version ${version} is not supported; this vmlab opens version ${LINK_VERSION} links`,
      'link.version',
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(strFromU8(inflateSync(fromBase64Url(body.slice(dot + 1)))));
  } catch {
    return fail('the link is damaged (its data does not decompress to JSON); was it cut off when copied?');
  }
  if (typeof raw !== 'object' || raw === null) return fail('the link data is not an object');
  const obj = raw as Record<string, unknown>;
  const parsed = parseScenario(obj.scenario);
  if (!parsed.ok)
    return { ok: false, errors: parsed.errors.map((e) => ({ ...e, path: joinPath('scenario', e.path) })) };
  const position = obj.position ?? 0;
  if (typeof position !== 'number' || !Number.isInteger(position) || position < 0) {
    return fail('must be a whole number of events, 0 or more', 'position');
  }
  const view = obj.view ?? 'migration';
  if (view !== 'migration' && view !== 'compare') return fail(`unknown view "${String(view)}"`, 'view');
  const compare = obj.compare;
  const strategies = ['stopcopy', 'precopy', 'postcopy', 'hybrid'];
  if (compare !== undefined && (!Array.isArray(compare) || !compare.every((c) => strategies.includes(c)))) {
    return fail(`must list strategies among ${strategies.join(', ')}`, 'compare');
  }
  return {
    ok: true,
    state: {
      scenario: parsed.scenario,
      position,
      view,
      ...(compare ? { compare: compare as Strategy[] } : {}),
    },
  };
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
