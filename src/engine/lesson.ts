import type { BreakpointSpec } from './mechanismDefinition';
import type { WorldScenario } from './scenario/fields';

/** What a lesson step reads its numbers from: the run as the lab shows it at that moment. */
export interface LessonContext {
  scenario: WorldScenario;
  /** Each installed mechanism's figures, by mechanism id (as in a frame). */
  metrics: Record<string, unknown[]>;
  timeNs: number;
  eventIndex: number;
  /** Names of the phases begun so far, in order. */
  phases: string[];
}

/** Where a step puts the learner's eye. */
export interface Highlight {
  kind: 'grid' | 'timeline' | 'metric' | 'chart' | 'ring' | 'register' | 'block';
  /** A grid side, a metric's name, a register's offset: whatever the lab's views key by. */
  target: string;
}

export interface LessonQuestion {
  prompt: string;
  choices: string[];
  /** The index of the choice the run proves right, from the run itself. */
  answer(ctx: LessonContext): number;
}

export interface LessonStep {
  /** Load this preset when the step begins (the first step of a lesson always starts from `Lesson.preset`). */
  preset?: string;
  /** Short text; numbers in it come from the run at this moment, not typed in. */
  caption(ctx: LessonContext): string;
  /** Run until this breakpoint fires before showing the caption; 'end': to the end; none: stay where it is. */
  waitFor?: BreakpointSpec | 'end';
  highlight?: Highlight;
  /** Asked before Continue: predict, then the next step's run answers it. */
  question?: LessonQuestion;
  /** What the caption claims, checked by the lesson's test on the same run. */
  claim?(ctx: LessonContext): boolean;
}

/** A guided walk through one preset: data, played by the app's lesson player and by tests. */
export interface Lesson {
  id: string;
  title: string;
  /** The preset it starts from (its lab is the lesson's lab). */
  preset: string;
  steps: LessonStep[];
}

/** The first figures of a mechanism in a lesson context (most lessons follow one migration, one device). */
export function first<T>(ctx: LessonContext, mechanism: string): T {
  return ctx.metrics[mechanism]?.[0] as T;
}
