import { existsSync, readFileSync } from 'node:fs';
import { decodeLink } from '../engine/scenario/linkCodec';
import { findPreset, PRESETS } from '../engine/scenario/presets';
import type { Scenario } from '../engine/scenario/schema';
import { type FieldError, parseScenario } from '../engine/scenario/validate';

export type Resolved = { ok: true; scenario: Scenario; source: string } | { ok: false; errors: FieldError[] };

/** A preset id, a scenario file, or a shared link (whole URL, `#s=...` or `s=...`). */
export function resolveInput(arg: string): Resolved {
  const preset = findPreset(arg);
  if (preset) {
    const parsed = parseScenario(preset.scenario);
    return parsed.ok ? { ok: true, scenario: parsed.scenario, source: `preset ${arg}` } : parsed;
  }
  if (existsSync(arg)) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(arg, 'utf8'));
    } catch (e) {
      return { ok: false, errors: [{ path: arg, message: `not valid JSON (${(e as Error).message})` }] };
    }
    const parsed = parseScenario(json);
    return parsed.ok ? { ok: true, scenario: parsed.scenario, source: `file ${arg}` } : parsed;
  }
  if (arg.includes('s=')) {
    const decoded = decodeLink(arg);
    return decoded.ok ? { ok: true, scenario: decoded.state.scenario, source: 'link' } : decoded;
  }
  return {
    ok: false,
    errors: [
      {
        path: 'input',
        message: `"${arg}" is not a preset (${PRESETS.map((p) => p.id).join(', ')}), a scenario file or a vmlab link`,
      },
    ],
  };
}
