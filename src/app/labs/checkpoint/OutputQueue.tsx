import type { CheckpointEntryView, CheckpointMetrics } from '../../../engine/checkpoint';
import { fmtInt, fmtMs } from '../../format';

/** The plug qdisc: held responses behind each epoch boundary, released in a batch when that checkpoint is acknowledged. */
export function OutputQueue({ entry, m }: { entry: CheckpointEntryView; m: CheckpointMetrics | undefined }) {
  const total = entry.held.reduce((n, b) => n + b.count, 0) + entry.currentResponses;
  const width = (n: number) => `${Math.max(6, (100 * n) / Math.max(total, 1))}%`;
  return (
    <figure className="ck-queue" data-testid="output-queue">
      <figcaption>
        <strong>Output buffer</strong>{' '}
        <span className="muted">
          {entry.outputCommit
            ? 'Linux plug qdisc: a boundary per stun, released on the acknowledgement'
            : 'output commit off: responses leave at once'}
        </span>
      </figcaption>
      {entry.outputCommit && (
        <div className="ck-queue-row" title="held responses">
          {entry.held.map((b) => (
            <span key={b.epoch} className="ck-queue-batch" style={{ width: width(b.count) }} title={`epoch ${b.epoch}`}>
              epoch {b.epoch} · {fmtInt(b.count)}
            </span>
          ))}
          <span className="ck-queue-current" style={{ width: width(entry.currentResponses) }}>
            now · {fmtInt(entry.currentResponses)}
          </span>
          <span className="ck-queue-out">→ clients</span>
        </div>
      )}
      <dl className="ck-counters">
        <div title="responses produced since the last epoch boundary">
          <dt>pkts_current_epoch</dt>
          <dd>{fmtInt(m?.plug.pktsCurrentEpoch ?? 0)}</dd>
        </div>
        <div title="responses behind boundaries whose checkpoint is not acknowledged yet">
          <dt>pkts_last_epoch</dt>
          <dd>{fmtInt(m?.plug.pktsLastEpoch ?? 0)}</dd>
        </div>
        <div title="released and not yet dequeued (they leave at once here)">
          <dt>pkts_to_release</dt>
          <dd>{fmtInt(m?.plug.pktsToRelease ?? 0)}</dd>
        </div>
        <div>
          <dt>released</dt>
          <dd data-testid="packets-released">{fmtInt(entry.released)}</dd>
        </div>
        <div title="how long a response waited before a client saw it">
          <dt>delay p50 / p99</dt>
          <dd>
            {fmtMs(m?.outputDelayMs.p50 ?? 0)} / {fmtMs(m?.outputDelayMs.p99 ?? 0)}
          </dd>
        </div>
      </dl>
    </figure>
  );
}
