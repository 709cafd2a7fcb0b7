import type { EpochLane } from '../../../engine/checkpoint';
import { formatDuration } from '../../format';

const LANES = [
  { id: 'run', label: 'run', hint: 'the VM runs the epoch' },
  { id: 'stun', label: 'stun', hint: 'paused: dirty bits scanned and cleared, pages copied' },
  { id: 'stream', label: 'stream', hint: 'the checkpoint crosses the link while the next epoch runs' },
  { id: 'ack', label: 'apply + ack', hint: 'the backup applies it to its copy and acknowledges' },
] as const;

const ROW = 26;

/** The newest epochs as overlapping lanes: run, stun, stream, apply and acknowledge. */
export function EpochLanes({
  epochs,
  nowNs,
  epochMs,
  failNs,
  detectNs,
}: {
  epochs: EpochLane[];
  nowNs: number;
  epochMs: number;
  failNs: number;
  detectNs: number;
}) {
  const windowNs = Math.max(6 * epochMs * 1e6, 20e6);
  // After a failover, keep the failure and the last epochs before it in view.
  const t1 = Math.max(detectNs >= 0 ? Math.min(nowNs, detectNs + windowNs / 6) : nowNs, 1);
  const t0 = Math.max(0, t1 - windowNs);
  const pct = (t: number) => (100 * (Math.min(Math.max(t, t0), t1) - t0)) / (t1 - t0);
  const seg = (lane: number, from: number, to: number, cls: string, key: string, title: string) => {
    if (from < 0 || to < from || to < t0 || from > t1) return null;
    const x = pct(from);
    const w = Math.max(0.25, pct(to) - x);
    return (
      <rect key={key} className={`ck-lane-${cls}`} x={`${x}%`} width={`${w}%`} y={lane * ROW + 4} height={ROW - 8}>
        <title>{title}</title>
      </rect>
    );
  };
  const shown = epochs.filter((e) => (e.ackNs < 0 ? t1 : e.ackNs) >= t0);
  return (
    <figure className="ck-lanes" data-testid="epoch-lanes" data-highlight="timeline:epochs">
      <figcaption>
        <strong>Epochs</strong>{' '}
        <span className="muted">
          the last {formatDuration(windowNs)}: each checkpoint streams while the next epoch already runs
        </span>
      </figcaption>
      <div className="ck-lanes-body">
        <ul className="ck-lane-labels">
          {LANES.map((l) => (
            <li key={l.id} title={l.hint} style={{ height: ROW }}>
              <span className={`ck-swatch ck-lane-${l.id}`} />
              {l.label}
            </li>
          ))}
        </ul>
        <svg
          width="100%"
          height={LANES.length * ROW + 18}
          role="img"
          aria-label="epoch lanes"
          style={{ minWidth: 200 }}
        >
          {shown.map((e) => [
            seg(0, e.runNs, e.stunNs, 'run', `r${e.epoch}`, `epoch ${e.epoch} runs`),
            seg(
              1,
              e.stunNs,
              e.resumeNs,
              'stun',
              `s${e.epoch}`,
              `stun ${e.epoch}: ${formatDuration(e.resumeNs - e.stunNs)}`,
            ),
            seg(
              2,
              e.resumeNs,
              e.sentNs < 0 ? t1 : e.sentNs,
              e.discarded ? 'discarded' : 'stream',
              `t${e.epoch}`,
              `checkpoint ${e.epoch} on the link${e.discarded ? ' (discarded at failover)' : ''}`,
            ),
            e.sentNs >= 0 &&
              seg(
                3,
                e.sentNs,
                e.ackNs < 0 ? (e.discarded ? e.sentNs : t1) : e.ackNs,
                'ack',
                `a${e.epoch}`,
                `checkpoint ${e.epoch} applied${e.ackNs >= 0 ? ' and acknowledged' : ''}`,
              ),
            e.stunNs >= t0 && (
              <text key={`l${e.epoch}`} x={`${pct(e.stunNs)}%`} y={LANES.length * ROW + 14} className="ck-lane-text">
                {e.epoch}
              </text>
            ),
          ])}
          {failNs >= 0 && failNs >= t0 && (
            <line className="ck-fail-line" x1={`${pct(failNs)}%`} x2={`${pct(failNs)}%`} y1={0} y2={LANES.length * ROW}>
              <title>the primary failed</title>
            </line>
          )}
          {detectNs >= 0 && detectNs >= t0 && detectNs <= t1 && (
            <line
              className="ck-detect-line"
              x1={`${pct(detectNs)}%`}
              x2={`${pct(detectNs)}%`}
              y1={0}
              y2={LANES.length * ROW}
            >
              <title>the backup detected it and took over</title>
            </line>
          )}
        </svg>
      </div>
    </figure>
  );
}
