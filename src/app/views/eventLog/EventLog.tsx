import { useState } from 'react';
import type { LogEntry } from '../../../engine/kernel/simulation';
import { fmtInt, formatDuration } from '../../format';
import { useStore } from '../../store/store';
import { seek } from '../../store/workerClient';

const FILTERS = {
  all: { label: 'all', keep: () => true },
  // Post-copy logs a line per remote fault: hundreds of them bury the phase changes.
  phases: { label: 'phases and rounds', keep: (e: LogEntry) => e.kind !== 'migration.fault' },
} as const;
type FilterId = keyof typeof FILTERS;

/** The narrated log, newest first; click an entry to go to the event that wrote it. */
export function EventLog() {
  const frame = useStore((s) => s.frame);
  const [filter, setFilter] = useState<FilterId>('all');
  if (!frame) return null;
  const entries = frame.log.filter(FILTERS[filter].keep).reverse();
  return (
    <section className="panel event-log" aria-label="event log">
      <div className="event-log-header">
        <h3>
          Event log{' '}
          <span className="muted">
            ({fmtInt(frame.logLength)} {frame.logLength === 1 ? 'entry' : 'entries'})
          </span>
        </h3>
        <fieldset className="segmented" data-testid="log-filter">
          <legend className="sr-only">show</legend>
          {(Object.keys(FILTERS) as FilterId[]).map((id) => (
            <button key={id} type="button" aria-pressed={filter === id} onClick={() => setFilter(id)}>
              {FILTERS[id].label}
            </button>
          ))}
        </fieldset>
      </div>
      <ol data-testid="event-log">
        {entries.map((e) => (
          <li key={`${e.index}-${e.kind}-${e.text.length}-${e.timeNs}`} className={`level-${e.level}`}>
            <button type="button" onClick={() => seek(e.index)} title={`go to event ${e.index}`}>
              <time>{formatDuration(e.timeNs)}</time> {e.text}
            </button>
          </li>
        ))}
      </ol>
      {frame.logLength > frame.log.length && (
        <p className="muted empty">
          Listed: the newest entries, and the phase and round lines before them; older remote faults are left out.
        </p>
      )}
    </section>
  );
}
