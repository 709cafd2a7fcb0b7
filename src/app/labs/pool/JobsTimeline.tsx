import type { PoolView } from '../../../engine/pool';
import { swatchStyle } from '../patterns';
import { JOB_COLORS, JOB_PATTERNS, JOB_RGB } from './colors';

const LABEL = 56;
const W = 640;
const ROW = 16;

/** Jobs per VM on a time axis: running, completed, failed; a triangle where a fixed share would have failed it. */
export function JobsTimeline({ pool, nowNs }: { pool: PoolView; nowNs: number }) {
  const end = Math.max(nowNs, ...pool.jobs.map((j) => Math.max(j.endNs, j.atNs)), 1);
  const x = (ns: number) => LABEL + (Math.max(0, ns) / end) * (W - LABEL - 8);
  const height = 30 + pool.disks.length * ROW;
  return (
    <svg className="pool-jobs" data-testid="pool-jobs" viewBox={`0 0 ${W} ${height}`} width={W} height={height}>
      <title>Jobs per VM over time</title>
      <defs>
        {/* The marks beside the colours: running striped, failed cross-hatched (as in the legend). */}
        <pattern id="pool-job-running" width="5" height="5" patternUnits="userSpaceOnUse">
          <rect width="5" height="1.5" fill="rgb(255 255 255 / 70%)" />
        </pattern>
        <pattern id="pool-job-failed" width="5" height="5" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
          <rect width="5" height="1" fill="rgb(255 255 255 / 70%)" />
          <rect width="1" height="5" fill="rgb(255 255 255 / 70%)" />
        </pattern>
      </defs>
      {pool.disks.map((d, i) => (
        <text key={d.vm} x={0} y={12 + i * ROW + 10}>
          {d.vm}
        </text>
      ))}
      {pool.jobs.map((j) => {
        const row = pool.disks.findIndex((d) => d.vm === j.vm);
        const start = j.startNs >= 0 ? j.startNs : j.atNs;
        const stop = j.endNs >= 0 ? j.endNs : nowNs;
        const box = { x: x(start), y: 12 + row * ROW + 2, width: Math.max(2, x(stop) - x(start)), height: ROW - 4 };
        const mark = j.status === 'running' || j.status === 'failed' ? `url(#pool-job-${j.status})` : null;
        return (
          <g key={`${j.vm}-${j.job}`}>
            <rect {...box} fill={JOB_COLORS[j.status]}>
              <title>
                {j.vm} job {j.job + 1}: {j.kind}, {j.mapOutputMiB} MiB, {j.status}
                {j.reason ? ` (${j.reason})` : ''}
              </title>
            </rect>
            {mark && <rect {...box} fill={mark} pointerEvents="none" />}
          </g>
        );
      })}
      {pool.shadow.map((s) => {
        const row = pool.disks.findIndex((d) => d.vm === s.vm);
        const cx = x(s.tNs);
        const cy = 12 + row * ROW + 8;
        return (
          <path key={`${s.vm}-${s.job}`} d={`M${cx},${cy - 7} l6,11 h-12 z`} className="pool-shadow-mark">
            <title>A fixed disk of the pool shared evenly would have failed this job here</title>
          </path>
        );
      })}
      <line x1={x(nowNs)} x2={x(nowNs)} y1={8} y2={height - 14} className="pool-now" />
      <text x={LABEL} y={height - 2}>
        0
      </text>
      <text x={W - 8} y={height - 2} textAnchor="end">
        {(end / 1e6).toFixed(0)} ms
      </text>
    </svg>
  );
}

export function JobsLegend() {
  return (
    <div className="pool-legend">
      {(['running', 'completed', 'failed'] as const).map((k) => (
        <span key={k}>
          <i style={swatchStyle(JOB_RGB[k], JOB_PATTERNS[k])} /> {k}
        </span>
      ))}
      <span>
        <svg width="14" height="12" aria-hidden="true">
          <path d="M7,0 l6,11 h-12 z" className="pool-shadow-mark" />
        </svg>{' '}
        a fixed disk of equal share would fail here
      </span>
    </div>
  );
}
