import { formatDuration } from '../../format';
import { scenarioIdentity } from '../../links';
import { setState, useStore } from '../../store/store';
import { seek } from '../../store/workerClient';

/** The item clicked last in a lab: what it is, its state, and the events that last changed it. */
export function SelectionPanel() {
  const selected = useStore((s) => s.selected);
  const inspection = useStore((s) => s.inspection);
  if (!selected) return null;
  return (
    <section className="panel selection" data-testid="selection" aria-live="polite">
      <div className="selection-head">
        <h3>{inspection?.title ?? `${selected.item} ${selected.index}`}</h3>
        <button type="button" className="link" onClick={() => setState({ selected: null, inspection: null })}>
          close
        </button>
      </div>
      {inspection ? (
        <dl>
          {inspection.lines.map((l) => (
            <div key={l.label}>
              <dt>{l.label}</dt>
              <dd>
                {l.eventIndex !== undefined ? (
                  <button
                    type="button"
                    className="link"
                    onClick={() => seek(l.eventIndex ?? 0)}
                    title="go to this moment"
                    data-testid={`seek-${l.label.replace(/\s+/g, '-')}`}
                  >
                    {l.value}
                  </button>
                ) : (
                  l.value
                )}
              </dd>
            </div>
          ))}
        </dl>
      ) : (
        <p className="muted">Nothing to explain here.</p>
      )}
    </section>
  );
}

/** What identifies this run exactly: the trace hash is the same in the browser and the CLI. */
export function DetailsPanel() {
  const frame = useStore((s) => s.frame);
  const scenario = useStore((s) => s.scenario);
  const fromPreset = useStore((s) => s.fromPreset);
  if (!frame || !scenario) return null;
  return (
    <details className="panel details" open>
      <summary>Run details</summary>
      <dl>
        <div>
          <dt>scenario</dt>
          <dd data-testid="scenario-name">{scenario.name ?? '(unnamed)'}</dd>
        </div>
        <div>
          <dt>is</dt>
          <dd data-testid="scenario-identity">{scenarioIdentity(scenario, fromPreset).label}</dd>
        </div>
        <div>
          <dt>seed</dt>
          <dd>{scenario.seed}</dd>
        </div>
        <div>
          <dt>trace hash</dt>
          <dd>
            <code data-testid="trace-hash">{frame.traceHash}</code>
          </dd>
        </div>
        <div>
          <dt>events</dt>
          <dd>{frame.eventIndex.toLocaleString('en-US')}</dd>
        </div>
        <div>
          <dt>simulated time</dt>
          <dd>{formatDuration(frame.timeNs)}</dd>
        </div>
        {frame.finished && (
          <div>
            <dt>ended</dt>
            <dd data-testid="finish-reason">{frame.finishReason}</dd>
          </div>
        )}
      </dl>
    </details>
  );
}
