import { allLessons } from '../../engine/lessons';
import { useStore } from '../store/store';
import { startLesson } from './lessonControl';

/** The open lab's guided lessons. */
export function LessonPicker() {
  const lab = useStore((s) => s.lab);
  const playing = useStore((s) => s.lesson);
  const lessons = allLessons().filter((l) => l.lab === lab);
  if (lessons.length === 0 || playing) return null;
  return (
    <section className="panel lessons" aria-label="guided lessons">
      <h3>Guided lessons</h3>
      <ul>
        {lessons.map(({ lesson }) => (
          <li key={lesson.id}>
            <button
              type="button"
              className="link"
              onClick={() => startLesson(lesson.id)}
              data-testid={`lesson-${lesson.id}`}
            >
              {lesson.title}
            </button>{' '}
            <span className="muted">({lesson.steps.length} steps)</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
