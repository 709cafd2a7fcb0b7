import { formatDuration } from '../../format';
import { useStore } from '../../store/store';
import { seek } from '../../store/workerClient';

/** The narrated log, newest first; click an entry to go to the event that wrote it. */
export function EventLog() {
  const frame = useStore((s) => s.frame);
  if (!frame) return null;
  const entries = frame.log.slice().reverse();
  return (
    <section className="panel event-log" aria-label="event log">
      <h3>
        Event log <span className="muted">({frame.logLength.toLocaleString('en-US')} entries)</span>
      </h3>
      <ol data-testid="event-log">
        {entries.map((e) => (
          <li key={`${e.index}-${e.kind}-${e.text.length}-${e.timeNs}`} className={`level-${e.level}`}>
            <button type="button" onClick={() => seek(e.index)} title={`go to event ${e.index}`}>
              <time>{formatDuration(e.timeNs)}</time> {e.text}
            </button>
          </li>
        ))}
      </ol>
    </section>
  );
}
