import { formatDuration } from '../../format';
import { useStore } from '../../store/store';

/** What identifies this run exactly: the trace hash is the same in the browser and the CLI. */
export function DetailsPanel() {
  const frame = useStore((s) => s.frame);
  const scenario = useStore((s) => s.scenario);
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
