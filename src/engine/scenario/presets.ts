import type { Preset as MechanismPreset } from '../mechanismDefinition';
import { MECHANISMS } from '../mechanisms';
import type { Scenario, ScenarioInput } from './schema';
import { parseScenario } from './validate';

/** A preset with its scenario typed against the composed schema (each lab declares its own). */
export type Preset = Omit<MechanismPreset, 'scenario'> & { scenario: ScenarioInput };

/** Every lab's presets, grouped by lab in registry order. */
export const PRESETS: readonly Preset[] = MECHANISMS.flatMap((d) => d.presets) as Preset[];

export const DEFAULT_PRESET_ID = 'stopcopy-basic';

export function findPreset(id: string): Preset | undefined {
  return PRESETS.find((p) => p.id === id);
}

let resolvedPresets: Map<string, string> | undefined;

/**
 * The preset a resolved scenario is, recognised by its content (never its name): an edited
 * preset is not that preset any more, whatever it is called.
 */
export function presetMatching(scenario: Scenario): Preset | undefined {
  if (!resolvedPresets) {
    resolvedPresets = new Map();
    for (const p of PRESETS) {
      const parsed = parseScenario(p.scenario);
      if (parsed.ok) resolvedPresets.set(JSON.stringify(parsed.scenario), p.id);
    }
  }
  const id = resolvedPresets.get(JSON.stringify(scenario));
  return id ? findPreset(id) : undefined;
}
