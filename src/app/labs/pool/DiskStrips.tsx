import type { PoolView } from '../../../engine/pool';
import { vmColor } from './colors';

const LABEL = 56;
const LOGICAL = 200;
const GAP = 24;
const POOL_W = 420;
const ROW = 18;

/**
 * Each VM's temporary disk as a strip (its logical extents, filled where mapped), and beside it
 * the same extents drawn at their place in the pool file.
 */
export function DiskStrips({ pool }: { pool: PoolView }) {
  const width = LABEL + LOGICAL + GAP + POOL_W;
  const height = 22 + pool.disks.length * ROW;
  const cap = Math.max(1, pool.maxExtents);
  return (
    <svg
      className="pool-strips"
      data-testid="pool-strips"
      viewBox={`0 0 ${width} ${height}`}
      width={width}
      height={height}
    >
      <title>Temporary disks and where their extents lie in the pool</title>
      <text x={LABEL} y={13}>
        its virtual disk (logical)
      </text>
      <text x={LABEL + LOGICAL + GAP} y={13}>
        where those extents lie in the pool file
      </text>
      {pool.disks.map((d, i) => {
        const y = 20 + i * ROW;
        const scale = LOGICAL / Math.max(1, d.extents);
        const runs = [];
        for (let k = 0; k < d.runs.length; k += 3) runs.push([d.runs[k], d.runs[k + 1], d.runs[k + 2]]);
        return (
          <g key={d.vm} opacity={d.started ? 1 : 0.4}>
            <text x={0} y={y + 12}>
              {d.vm}
            </text>
            <rect x={LABEL} y={y + 2} width={LOGICAL} height={ROW - 5} className="pool-strip-bg" />
            <rect x={LABEL + LOGICAL + GAP} y={y + 2} width={POOL_W} height={ROW - 5} className="pool-strip-bg" />
            {runs.map(([logical, at, len]) => (
              <g key={`${logical}-${at}`}>
                <rect
                  x={LABEL + logical * scale}
                  y={y + 2}
                  width={Math.max(1, len * scale)}
                  height={ROW - 5}
                  fill={vmColor(i)}
                />
                <rect
                  x={LABEL + LOGICAL + GAP + (at / cap) * POOL_W}
                  y={y + 2}
                  width={Math.max(1, (len / cap) * POOL_W)}
                  height={ROW - 5}
                  fill={vmColor(i)}
                />
              </g>
            ))}
            {!d.started && (
              <text x={LABEL + 4} y={y + 12}>
                did not power on
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}
