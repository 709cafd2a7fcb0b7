import { describe, expect, it } from 'vitest';
import type { LessonContext } from '../engine/lesson';
import { allLessons } from '../engine/lessons';
import { findPreset } from '../engine/scenario/presets';
import { Session } from './session';

function open(presetId: string): Session {
  const r = Session.load(findPreset(presetId)?.scenario);
  if (!r.ok) throw new Error(`${presetId}: ${JSON.stringify(r.errors)}`);
  return r.session;
}

function context(s: Session): LessonContext {
  const f = s.frame(false);
  return {
    scenario: s.scenario,
    metrics: f.metrics,
    timeNs: f.timeNs,
    eventIndex: f.eventIndex,
    phases: f.phases.map((p) => p.name),
  };
}

// Each lesson is played as the app plays it, and what its captions say is checked on that run.
describe('lessons: every caption is true of the run it is shown on', () => {
  for (const { lab, lesson } of allLessons()) {
    it(`${lab}: ${lesson.id}`, () => {
      let session = open(lesson.preset);
      let pendingQuestion: { answer(ctx: LessonContext): number; choices: string[] } | undefined;
      lesson.steps.forEach((step, i) => {
        if (step.preset) {
          session.dispose();
          session = open(step.preset);
        }
        if (step.waitFor === 'end') session.runToEnd();
        else if (step.waitFor) {
          session.breakpoints = [step.waitFor];
          expect(session.runToEnd(true), `step ${i} waits for ${JSON.stringify(step.waitFor)}`).toMatch(/^breakpoint/);
          session.breakpoints = [];
        }
        const ctx = context(session);
        const caption = step.caption(ctx);
        expect(caption, `step ${i}`).not.toMatch(/undefined|NaN|Infinity|\[object/);
        if (step.claim) expect(step.claim(ctx), `step ${i} claims: ${caption}`).toBe(true);
        // A question is answered by what the run shows by the next step that moves it.
        if (pendingQuestion && step.waitFor) {
          const answer = pendingQuestion.answer(ctx);
          expect(answer).toBeGreaterThanOrEqual(0);
          expect(answer).toBeLessThan(pendingQuestion.choices.length);
          pendingQuestion = undefined;
        }
        if (step.question) pendingQuestion = step.question;
      });
      expect(pendingQuestion, 'a question is left without a step that answers it').toBeUndefined();
      session.dispose();
    });
  }
});
