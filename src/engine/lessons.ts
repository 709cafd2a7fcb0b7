import type { Lesson } from './lesson';
import { allMechanisms } from './mechanisms';

/** Every lab's lessons, with the lab each belongs to. */
export function allLessons(): { lab: string; lesson: Lesson }[] {
  return allMechanisms().flatMap((d) => (d.lessons ?? []).map((lesson) => ({ lab: d.id, lesson })));
}

export function findLesson(id: string): { lab: string; lesson: Lesson } | undefined {
  return allLessons().find((l) => l.lesson.id === id);
}
