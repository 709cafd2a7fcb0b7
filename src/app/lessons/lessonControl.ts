import type { LessonContext } from '../../engine/lesson';
import { findLesson } from '../../engine/lessons';
import { findPreset } from '../../engine/scenario/presets';
import { getState, setState } from '../store/store';
import { loadScenario, send } from '../store/workerClient';

/** The lesson being played: which step, where each step began, and the learner's predictions. */
export interface LessonState {
  id: string;
  step: number;
  /** For each step shown: its preset and the event it was shown at, so Back returns there. */
  shown: { preset: string; position: number }[];
  /** The choice the learner made for a step's question, by step. */
  predictions: Record<number, number>;
  /** Past the last step: the learner plays freely on the same scenario. */
  done: boolean;
}

export function lessonContext(): LessonContext | null {
  const { scenario, frame } = getState();
  if (!scenario || !frame) return null;
  return {
    scenario,
    metrics: frame.metrics,
    timeNs: frame.timeNs,
    eventIndex: frame.eventIndex,
    phases: frame.phases.map((p) => p.name),
  };
}

function loadLessonPreset(presetId: string, position = 0): void {
  const preset = findPreset(presetId);
  if (!preset) return;
  setState({ presetId: preset.id, fromPreset: preset.id, lab: preset.lab, view: 'lab', frame: null, selected: null });
  loadScenario(preset.scenario, position);
}

/** Begin a lesson (or reopen it at a step from a link, where the scenario is already loaded). */
export function startLesson(id: string, step = 0, alreadyLoaded = false): void {
  const found = findLesson(id);
  if (!found) return;
  const { lesson } = found;
  const at = Math.min(Math.max(0, step), lesson.steps.length - 1);
  if (alreadyLoaded) {
    const shown: LessonState['shown'] = [];
    shown[at] = { preset: getState().presetId ?? lesson.preset, position: -1 };
    setState({ lesson: { id, step: at, shown, predictions: {}, done: false } });
    send({ type: 'mark', tag: `lesson:${id}:${at}` });
    return;
  }
  setState({ lesson: { id, step: at, shown: [], predictions: {}, done: false } });
  loadLessonPreset(lesson.preset);
  enterStep(0);
}

/** Run what a step waits for; the caption follows the frame that comes back. */
function enterStep(k: number): void {
  const state = getState().lesson;
  const found = state && findLesson(state.id);
  if (!state || !found) return;
  const step = found.lesson.steps[k];
  const currentPreset = getState().presetId ?? state.shown[state.shown.length - 1]?.preset ?? found.lesson.preset;
  if (k > 0 && step.preset) loadLessonPreset(step.preset);
  // The frame that answers this tag is the one the step's caption is read from.
  const tag = `lesson:${state.id}:${k}`;
  if (step.waitFor === 'end') send({ type: 'runUntil', breakpoint: null, tag });
  else if (step.waitFor) send({ type: 'runUntil', breakpoint: step.waitFor, tag });
  else send({ type: 'mark', tag });
  const shown = state.shown.slice(0, k);
  shown[k] = { preset: step.preset ?? currentPreset, position: -1 };
  setState({ lesson: { ...state, step: k, shown } });
}

/** A frame arrived: if it answers the current step's tag, the step is shown here (Back returns to it). */
export function noteFrame(tag: string | undefined, position: number): void {
  const state = getState().lesson;
  if (!state || tag !== `lesson:${state.id}:${state.step}` || state.shown[state.step]?.position !== -1) return;
  const shown = state.shown.slice();
  shown[state.step] = { ...shown[state.step], position };
  setState({ lesson: { ...state, shown } });
}

export function lessonContinue(): void {
  const state = getState().lesson;
  const found = state && findLesson(state.id);
  if (!state || !found || getState().busy) return;
  if (state.step + 1 >= found.lesson.steps.length) {
    setState({ lesson: { ...state, done: true } });
    return;
  }
  enterStep(state.step + 1);
}

export function lessonBack(): void {
  const state = getState().lesson;
  if (!state || state.step === 0 || getState().busy) return;
  const target = state.shown[state.step - 1];
  if (!target || target.position < 0) return;
  const current = state.shown[state.step];
  if (current?.preset !== target.preset) loadLessonPreset(target.preset, target.position);
  else send({ type: 'seek', eventIndex: target.position });
  setState({ lesson: { ...state, step: state.step - 1, done: false } });
}

export function predict(step: number, choice: number): void {
  const state = getState().lesson;
  if (state) setState({ lesson: { ...state, predictions: { ...state.predictions, [step]: choice } } });
}

export function endLesson(): void {
  setState({ lesson: null });
}
