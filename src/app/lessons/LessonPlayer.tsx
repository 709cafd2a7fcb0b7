import { useEffect } from 'react';
import type { Highlight } from '../../engine/lesson';
import { findLesson } from '../../engine/lessons';
import { LAB_UIS } from '../labs';
import { useStore } from '../store/store';
import { useDarkMode } from '../useDarkMode';
import { Caption } from './Caption';
import { endLesson, lessonBack, lessonContext, lessonContinue, predict } from './lessonControl';

/** The caption panel over the lab: the step's words (numbers from the run), Back / Continue, a question. */
export function LessonPlayer() {
  const state = useStore((s) => s.lesson);
  const busy = useStore((s) => s.busy);
  const frame = useStore((s) => s.frame); // the caption is read from the current frame
  const found = state ? findLesson(state.id) : undefined;
  const dark = useDarkMode();
  const highlight = state && found && !state.done ? found.lesson.steps[state.step]?.highlight : undefined;
  useHighlight(highlight, frame);
  if (!state || !found) return null;
  const { lesson } = found;
  const step = lesson.steps[state.step];
  const waiting = state.shown[state.step]?.position === -1 || busy !== null;
  const ctx = lessonContext();
  const terms = LAB_UIS[found.lab]?.terms?.(dark) ?? [];
  if (state.done) {
    return (
      <section className="panel lesson" aria-label="lesson" data-testid="lesson">
        <p className="lesson-caption" data-testid="lesson-caption">
          That is the end of “{lesson.title}”. The run is yours now: play, step back, change the scenario.
        </p>
        <div className="lesson-actions">
          <button type="button" onClick={lessonBack}>
            Back
          </button>
          <button type="button" className="primary" onClick={endLesson} data-testid="lesson-close">
            Close the lesson
          </button>
        </div>
      </section>
    );
  }
  // A question asked at an earlier step is answered by this step's run.
  const asked = Object.entries(state.predictions)
    .map(([k, choice]) => ({ k: Number(k), choice }))
    .filter(({ k }) => k < state.step && k === lastQuestionBefore(lesson.steps, state.step));
  let caption = '';
  try {
    caption = ctx && !waiting ? step.caption(ctx) : 'Running to the next moment…';
  } catch {
    caption = 'Running to the next moment…';
  }
  return (
    <section className="panel lesson" aria-label="lesson" data-testid="lesson">
      <div className="lesson-head">
        <h2 className="lesson-title">{lesson.title}</h2>
        <span className="muted" data-testid="lesson-progress">
          step {state.step + 1} of {lesson.steps.length}
        </span>
        <button type="button" className="link" onClick={endLesson}>
          leave
        </button>
      </div>
      {asked.map(({ k, choice }) => {
        const q = lesson.steps[k].question;
        if (!q || !ctx || waiting) return null;
        const right = safeAnswer(() => q.answer(ctx));
        return (
          <p key={k} className="lesson-answer" data-testid="lesson-answer">
            You predicted “{q.choices[choice]}”; the run says “{q.choices[right] ?? '?'}” {choice === right ? '✓' : '✗'}
          </p>
        );
      })}
      <p className="lesson-caption" data-testid="lesson-caption" aria-live="polite">
        <Caption text={caption} terms={terms} />
      </p>
      {step.question && !waiting && (
        <fieldset className="lesson-question">
          <legend>{step.question.prompt}</legend>
          {step.question.choices.map((c, i) => (
            <label key={c}>
              <input
                type="radio"
                name={`q-${state.step}`}
                checked={state.predictions[state.step] === i}
                onChange={() => predict(state.step, i)}
              />{' '}
              {c}
            </label>
          ))}
        </fieldset>
      )}
      <div className="lesson-actions">
        <button type="button" onClick={lessonBack} disabled={state.step === 0 || waiting} title="PageUp">
          Back
        </button>
        <button
          type="button"
          className="primary"
          onClick={lessonContinue}
          disabled={waiting}
          title=". or PageDown"
          data-testid="lesson-continue"
        >
          Continue
        </button>
      </div>
    </section>
  );
}

function lastQuestionBefore(steps: { question?: unknown; waitFor?: unknown }[], step: number): number {
  for (let k = step - 1; k >= 0; k--) if (steps[k].question) return k;
  return -1;
}

function safeAnswer(f: () => number): number {
  try {
    return f();
  } catch {
    return -1;
  }
}

/**
 * Outline what the step points at: an element that says it is that target (`data-highlight="chart:rounds"`),
 * a metric by its name (`data-metric`), a grid by its side. Nothing is outlined when the lab has no such element.
 */
function useHighlight(h: Highlight | undefined, redraw: unknown): void {
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new frame may redraw the element, so mark it again
  useEffect(() => {
    if (!h) return;
    const key = `${h.kind}:${h.target}`;
    const found = [
      ...document.querySelectorAll(`[data-highlight~="${CSS.escape(key)}"]`),
      ...(h.kind === 'metric' ? document.querySelectorAll(`[data-metric="${CSS.escape(h.target)}"]`) : []),
      ...(h.kind === 'grid' ? document.querySelectorAll(`[data-testid="grid-${CSS.escape(h.target)}"]`) : []),
    ];
    const marked = found.flatMap((el) =>
      el.tagName === 'DD' && el.previousElementSibling ? [el, el.previousElementSibling] : [el],
    );
    for (const el of marked) el.classList.add('lesson-highlight');
    return () => {
      for (const el of marked) el.classList.remove('lesson-highlight');
    };
  }, [h, redraw]);
}
