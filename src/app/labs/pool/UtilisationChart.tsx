import type { PoolView } from '../../../engine/pool';

const W = 640;
const H = 220;
const M = { left: 56, right: 12, top: 12, bottom: 28 };

/**
 * Space over time on the same jobs: what the pool uses, what fixed disks sized to each VM's
 * peak would need, what fixed disks of the configured size provision, and the datastore.
 */
export function UtilisationChart({ pool, nowNs }: { pool: PoolView; nowNs: number }) {
  const mib = pool.extentKiB / 1024;
  const s = pool.series;
  const endMs = Math.max(nowNs / 1e6, s.length ? s[s.length - 3] : 0, 1);
  let peak = 0;
  for (let i = 2; i < s.length; i += 3) peak = Math.max(peak, s[i]);
  // Scaled to the datastore (and the peaks), not to what fixed disks provision, which may be far above.
  const top = Math.max(pool.maxExtents, peak) * mib * 1.08;
  const x = (ms: number) => M.left + (ms / endMs) * (W - M.left - M.right);
  const y = (v: number) => H - M.bottom - (v / top) * (H - M.top - M.bottom);
  const path = (k: 1 | 2) => {
    let d = '';
    let last = 0;
    for (let i = 0; i < s.length; i += 3) {
      d += `${d ? 'L' : 'M'}${x(s[i]).toFixed(1)},${y(last * mib).toFixed(1)}L${x(s[i]).toFixed(1)},${y(s[i + k] * mib).toFixed(1)}`;
      last = s[i + k];
    }
    return `${d}L${x(endMs).toFixed(1)},${y(last * mib).toFixed(1)}`;
  };
  const capacity = pool.capacity * mib;
  const provisioned = pool.provisionedExtents * mib;
  return (
    <figure className="pool-util" data-highlight="chart:utilisation">
      <svg data-testid="pool-util" viewBox={`0 0 ${W} ${H}`} width={W} height={H}>
        <title>Space used over time</title>
        <line x1={M.left} x2={W - M.right} y1={y(capacity)} y2={y(capacity)} className="pool-line-capacity" />
        <text x={W - M.right} y={y(capacity) - 4} textAnchor="end">
          datastore {capacity} MiB
        </text>
        {provisioned !== capacity && provisioned <= top && (
          <>
            <line
              x1={M.left}
              x2={W - M.right}
              y1={y(provisioned)}
              y2={y(provisioned)}
              className="pool-line-provisioned"
            />
            <text x={W - M.right} y={y(provisioned) + 14} textAnchor="end">
              fixed disks as configured {provisioned} MiB
            </text>
          </>
        )}
        <path d={path(2)} className="pool-line-peaks" />
        <path d={path(1)} className="pool-line-used" />
        {pool.shadow.map((f, i) => (
          <g key={`${f.vm}-${f.job}`}>
            <line x1={x(f.tNs / 1e6)} x2={x(f.tNs / 1e6)} y1={M.top} y2={H - M.bottom} className="pool-line-shadow" />
            {i === 0 && (
              <text x={x(f.tNs / 1e6) + 4} y={M.top + 12}>
                a fixed {Math.round(pool.fairShareExtents * mib)} MiB disk fails {f.vm}
                {pool.shadow.length > 1 ? ` (and ${pool.shadow.length - 1} more)` : ''}
              </text>
            )}
          </g>
        ))}
        <line x1={M.left} x2={M.left} y1={M.top} y2={H - M.bottom} className="pool-axis" />
        <line x1={M.left} x2={W - M.right} y1={H - M.bottom} y2={H - M.bottom} className="pool-axis" />
        <text x={M.left - 6} y={y(0)} textAnchor="end">
          0
        </text>
        <text x={M.left - 6} y={y(top) + 10} textAnchor="end">
          {Math.round(top)}
        </text>
        <text x={M.left - 6} y={y(top) + 24} textAnchor="end">
          MiB
        </text>
        <text x={M.left} y={H - 8}>
          0 ms
        </text>
        <text x={W - M.right} y={H - 8} textAnchor="end">
          {endMs.toFixed(0)} ms
        </text>
      </svg>
      <figcaption className="pool-legend">
        <span>
          <i className="pool-key-used" /> used in the pool
        </span>
        <span>
          <i className="pool-key-peaks" /> fixed disks sized to each VM's peak so far
        </span>
        <span>
          <i className="pool-key-capacity" /> datastore
        </span>
        {provisioned > top && <span>fixed disks as configured: {provisioned} MiB (above the chart)</span>}
        <span>
          <i className="pool-key-shadow" /> a fixed disk of equal share fails a job the pool carries
        </span>
      </figcaption>
    </figure>
  );
}
