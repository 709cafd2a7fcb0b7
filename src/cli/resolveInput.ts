import { existsSync, readFileSync, statSync } from 'node:fs';
import { CLI_BUDGET_BYTES, checkBudget } from '../engine/scenario/budget';
import type { WorldScenario } from '../engine/scenario/fields';
import { decodeLink } from '../engine/scenario/linkCodec';
import { findPreset, PRESETS } from '../engine/scenario/presets';
import type { Scenario } from '../engine/scenario/schema';
import { formatSize, MAX_JSON_BYTES, parseUntrustedJson } from '../engine/scenario/untrusted';
import { type FieldError, parseScenario } from '../engine/scenario/validate';

export type Resolved = { ok: true; scenario: Scenario; source: string } | { ok: false; errors: FieldError[] };

/**
 * A preset id, a scenario file, or a shared link (whole URL, `#s=...` or `s=...`). Files and
 * links are untrusted: a file over `MAX_JSON_BYTES` is refused before it is read, and its text
 * is bounded like a link's (nesting, prototype keys) before and after JSON.parse. A scenario
 * whose run would allocate more than `CLI_BUDGET_BYTES` is refused too.
 */
export function resolveInput(arg: string): Resolved {
  const resolved = resolveScenarioInput(arg);
  if (!resolved.ok) return resolved;
  const over = checkCliBudget(resolved.scenario);
  return over.length ? { ok: false, errors: over } : resolved;
}

/** The command line's memory budget for one run (no keyframes: the CLI does not time travel). */
export function checkCliBudget(scenario: WorldScenario): FieldError[] {
  return checkBudget(scenario, CLI_BUDGET_BYTES, 0, "the command line's budget");
}

function resolveScenarioInput(arg: string): Resolved {
  const preset = findPreset(arg);
  if (preset) {
    const parsed = parseScenario(preset.scenario);
    return parsed.ok ? { ok: true, scenario: parsed.scenario, source: `preset ${arg}` } : parsed;
  }
  if (existsSync(arg)) {
    const json = readScenarioFile(arg);
    if (!json.ok) return json;
    const parsed = parseScenario(json.value);
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

function readScenarioFile(file: string): { ok: true; value: unknown } | { ok: false; errors: FieldError[] } {
  const fail = (message: string) => ({ ok: false as const, errors: [{ path: 'file', message }] });
  let text: string;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) return fail(`${file} is not a regular file`);
    if (stat.size > MAX_JSON_BYTES) {
      return fail(
        `${file} is too large: ${stat.size} bytes, over the limit of ${formatSize(MAX_JSON_BYTES)} ` +
          'for a scenario file (a scenario is a few KiB)',
      );
    }
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return fail(`${file} could not be read (${(e as Error).message})`);
  }
  return parseUntrustedJson(text, { where: 'file', what: file });
}
