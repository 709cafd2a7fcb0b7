import { decodeLink, encodeLink } from '../engine/scenario/linkCodec';
import { DEFAULT_PRESET_ID, findPreset, presetMatching } from '../engine/scenario/presets';
import type { Scenario } from '../engine/scenario/schema';
import { startLesson } from './lessons/lessonControl';
import { getState, setState } from './store/store';
import { loadScenario, runCompare, setBreakpoints } from './store/workerClient';

/** Load a preset by id: its lab, its scenario, its view, its variants to compare. */
export function loadPreset(id: string): void {
  const preset = findPreset(id) ?? findPreset(DEFAULT_PRESET_ID);
  if (!preset) return;
  setState({
    presetId: preset.id,
    fromPreset: preset.id,
    lab: preset.lab,
    view: preset.view,
    compare: preset.compare ?? [],
    frame: null,
    selected: null,
    inspection: null,
    lesson: null,
  });
  loadScenario(preset.scenario);
  if (preset.view === 'compare') runCompare(preset.scenario, preset.lab, preset.compare ?? []);
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
  const { scenario, position, lab, view, compare, breakpoints, speed, fromPreset, lesson, step } = decoded.state;
  setState({
    presetId: presetMatching(scenario)?.id ?? null,
    fromPreset: fromPreset ?? null,
    lab,
    view,
    compare: compare ?? [],
    frame: null,
    selected: null,
    inspection: null,
    ...(speed !== undefined ? { speed } : {}),
  });
  if (breakpoints) setBreakpoints(breakpoints);
  loadScenario(scenario, position);
  if (view === 'compare') runCompare(scenario, lab, compare ?? []);
  if (lesson) startLesson(lesson, step ?? 0, true);
  else setState({ lesson: null });
}

/** A link to exactly what is on screen: scenario, position, lab, view, breakpoints and speed. */
export function linkToHere(at: { position?: number } = {}): string | null {
  const { scenario, frame, lab, view, compare, breakpoints, speed, fromPreset, lesson } = getState();
  if (!scenario) return null;
  return encodeLink({
    scenario,
    position: at.position ?? frame?.eventIndex ?? 0,
    lab,
    view,
    ...(compare.length > 0 ? { compare } : {}),
    ...(breakpoints.length > 0 ? { breakpoints } : {}),
    ...(Number.isFinite(speed) ? { speed } : {}),
    ...(fromPreset ? { fromPreset } : {}),
    ...(lesson && !lesson.done ? { lesson: lesson.id, step: lesson.step } : {}),
  });
}

/** The link as a whole URL; at this moment it also becomes the address bar's. */
export function shareLink(at: { position?: number } = {}): string | null {
  const hash = linkToHere(at);
  if (!hash) return null;
  if (at.position === undefined) history.replaceState(null, '', hash);
  return `${location.origin}${location.pathname}${location.search}${hash}`;
}

/** What the scenario on screen is: a preset, or custom (edited from one). */
export function scenarioIdentity(scenario: Scenario | null, fromPreset: string | null) {
  const preset = scenario ? presetMatching(scenario) : undefined;
  if (preset) return { preset, label: preset.title, custom: false };
  const from = fromPreset ? findPreset(fromPreset) : undefined;
  return { preset: undefined, label: from ? `custom (from ${from.title})` : 'custom scenario', custom: true };
}
