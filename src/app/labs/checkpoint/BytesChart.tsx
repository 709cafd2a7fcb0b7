import type { EpochLane } from '../../../engine/checkpoint';
import { formatBytes } from '../../format';

const H = 120;

/** Bytes each checkpoint put on the link, as whole pages and as diffs (disk blocks and pfns in with whole pages). */
export function BytesChart({ epochs }: { epochs: EpochLane[] }) {
  const sent = epochs.filter((e) => e.sentNs >= 0);
  const max = Math.max(1, ...sent.map((e) => e.bytes));
  const w = 100 / Math.max(sent.length, 12);
  return (
    <figure className="ck-bytes" data-testid="bytes-chart">
      <figcaption>
        <strong>Bytes per checkpoint</strong>{' '}
        <span className="ck-key">
          <span className="ck-swatch ck-bytes-full" /> whole pages
        </span>{' '}
        <span className="ck-key">
          <span className="ck-swatch ck-bytes-diff" /> diffs
        </span>{' '}
        <span className="muted">max {formatBytes(max)}</span>
      </figcaption>
      <svg width="100%" height={H + 16} role="img" aria-label="bytes per checkpoint">
        {sent.map((e, i) => {
          const full = (H * (e.bytes - e.diffBytes)) / max;
          const diff = (H * e.diffBytes) / max;
          return (
            <g key={e.epoch}>
              <title>
                checkpoint {e.epoch}: {formatBytes(e.bytes)} ({e.fullPages} whole pages, {e.deltaPages} diffs
                {e.earlyPages ? `, ${e.earlyPages} sent while running` : ''})
              </title>
              <rect
                className="ck-bytes-full"
                x={`${i * w + 0.1 * w}%`}
                width={`${0.8 * w}%`}
                y={H - full}
                height={full}
              />
              <rect
                className="ck-bytes-diff"
                x={`${i * w + 0.1 * w}%`}
                width={`${0.8 * w}%`}
                y={H - full - diff}
                height={diff}
              />
            </g>
          );
        })}
        {sent.length > 0 && (
          <>
            <text x="0" y={H + 14} className="ck-lane-text">
              {sent[0].epoch}
            </text>
            <text x={`${(sent.length - 1) * w}%`} y={H + 14} className="ck-lane-text">
              {sent[sent.length - 1].epoch}
            </text>
          </>
        )}
      </svg>
    </figure>
  );
}
