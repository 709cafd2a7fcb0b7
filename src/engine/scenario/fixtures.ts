import { findPreset } from './presets';
import type { ScenarioInput } from './schema';

/** A preset with every VM's memory resized (tests run presets small). */
export function smallPreset(presetId: string, memoryMiB: number): ScenarioInput {
  const preset = findPreset(presetId);
  if (!preset) throw new Error(`no preset ${presetId}`);
  const s = structuredClone(preset.scenario);
  s.vms = (s.vms ?? []).map((vm) => ({ ...vm, memoryMiB }));
  return s;
}
