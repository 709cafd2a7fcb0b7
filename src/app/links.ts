import { decodeLink, encodeLink } from '../engine/scenario/linkCodec';
import { DEFAULT_PRESET_ID, findPreset, PRESETS } from '../engine/scenario/presets';
import { getState, setState } from './store/store';
import { loadScenario, runCompare } from './store/workerClient';

/** Load a preset by id: its scenario, its view, its strategies to compare. */
export function loadPreset(id: string): void {
  const preset = findPreset(id) ?? findPreset(DEFAULT_PRESET_ID);
  if (!preset) return;
  setState({ presetId: preset.id, view: preset.view, compare: preset.compare ?? [], frame: null });
  loadScenario(preset.scenario);
  if (preset.compare) runCompare(preset.scenario, preset.compare);
  if (location.hash) history.replaceState(null, '', location.pathname + location.search);
}

/** Open what the URL's fragment says; a bad link leaves a banner and the default scenario. */
export function openFromLocation(): void {
  if (!location.hash.includes('s=')) {
    loadPreset(getState().presetId ?? DEFAULT_PRESET_ID);
    return;
  }
  const decoded = decodeLink(location.hash);
  if (!decoded.ok) {
    setState({
      banner: {
        title: 'This link could not be opened; showing the default scenario instead',
        errors: decoded.errors,
      },
    });
    loadPreset(DEFAULT_PRESET_ID);
    return;
  }
  const { scenario, position, view, compare } = decoded.state;
  const preset = findPresetFor(scenario);
  setState({ presetId: preset, view, compare: compare ?? [], frame: null });
  loadScenario(scenario, position);
  if (compare) runCompare(scenario, compare);
}

export function shareLink(): string | null {
  const { scenario, frame, view, compare } = getState();
  if (!scenario) return null;
  const hash = encodeLink({
    scenario,
    position: frame?.eventIndex ?? 0,
    view,
    ...(compare.length > 0 ? { compare } : {}),
  });
  history.replaceState(null, '', hash);
  return location.href;
}

/** The preset a scenario came from (matched by name), so the picker can show it. */
function findPresetFor(scenario: { name?: string }): string | null {
  return PRESETS.find((p) => scenario.name !== undefined && p.scenario.name === scenario.name)?.id ?? null;
}
