import { useRef, useState } from 'react';
import type { LogEntry } from '../../../engine/kernel/simulation';
import { allMechanisms } from '../../../engine/mechanisms';
import { fmtInt, formatDuration } from '../../format';
import { useStore } from '../../store/store';
import { seek } from '../../store/workerClient';

// Some kinds come in floods (post-copy's remote faults): hundreds of them bury the phase changes.
const FLOOD_KINDS: ReadonlySet<string> = new Set(allMechanisms().flatMap((d) => d.floodLogKinds ?? []));

const FILTERS = {
  all: { label: 'all', keep: () => true },
  phases: { label: 'phases and rounds', keep: (e: LogEntry) => !FLOOD_KINDS.has(e.kind) },
} as const;
type FilterId = keyof typeof FILTERS;

function entryKey(e: LogEntry): string {
  return `${e.index}-${e.kind}-${e.text.length}-${e.timeNs}`;
}

/** Where a key moves the focus in a list of `count` entries, or null for a key the list does not take. */
function moveTo(key: string, at: number, count: number): number | null {
  const last = count - 1;
  switch (key) {
    case 'ArrowDown':
      return Math.min(last, at + 1);
    case 'ArrowUp':
      return Math.max(0, at - 1);
    case 'PageDown':
      return Math.min(last, at + 10);
    case 'PageUp':
      return Math.max(0, at - 10);
    case 'Home':
      return 0;
    case 'End':
      return last;
    default:
      return null;
  }
}

/** The narrated log, newest first; click an entry to go to the event that wrote it. */
export function EventLog() {
  const frame = useStore((s) => s.frame);
  const [filter, setFilter] = useState<FilterId>('all');
  // One tab stop for the whole log (roving tabindex): the entry last focused, else the newest.
  const [active, setActive] = useState<string | null>(null);
  const list = useRef<HTMLOListElement>(null);
  if (!frame) return null;
  const entries = frame.log.filter(FILTERS[filter].keep).reverse();
  const keys = entries.map(entryKey);
  const activeAt = Math.max(0, active === null ? 0 : keys.indexOf(active));
  const onKey = (e: React.KeyboardEvent) => {
    const to = moveTo(e.key, activeAt, entries.length);
    if (to === null) return;
    // The log keeps these keys: Home and End would otherwise restart or run the simulation.
    e.preventDefault();
    e.stopPropagation();
    list.current?.querySelectorAll('button')[to]?.focus();
  };
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
      <ol
        data-testid="event-log"
        ref={list}
        onKeyDown={onKey}
        aria-label="entries, newest first: arrow keys, Home and End move, Enter goes to the event"
      >
        {entries.map((e, i) => (
          <li key={keys[i]} className={`level-${e.level}`}>
            <button
              type="button"
              onClick={() => seek(e.index)}
              onFocus={() => setActive(keys[i])}
              tabIndex={i === activeAt ? 0 : -1}
              title={`go to event ${e.index}`}
              data-event={e.index}
            >
              <time>{formatDuration(e.timeNs)}</time> {e.text}
            </button>
          </li>
        ))}
      </ol>
      {frame.logLength > frame.log.length && (
        <p className="muted empty">
          Listed: the newest entries, and the phase and round lines before them; older lines of the kinds that come in
          floods are left out.
        </p>
      )}
    </section>
  );
}
