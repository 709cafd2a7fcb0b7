import type { CompareEntry } from '../../../engine/compare';
import type { NetworkMetrics } from '../../../engine/network';
import { LatencyHistogram } from './LatencyHistogram';

const metricsOf = (r: CompareEntry) => (r.summary as unknown as { networks: NetworkMetrics[] }).networks[0];

/** Exits per packet and latency side by side, and the sweep of exits against p99 latency. */
export function NetworkCompare({ results }: { results: CompareEntry[] }) {
  const rows = results.map((r) => ({ r, m: metricsOf(r) })).filter((x) => x.m);
  const maxExits = Math.max(...rows.map((x) => x.m.exitsPerPacket), 0.001);
  const maxP99 = Math.max(...rows.map((x) => x.m.latencyUs.p99), 0.001);
  const sweep = rows.filter((x) => /^cluster(-\d+)?$/.test(x.r.variant) || x.r.variant === 'per-packet');
  return (
    <section className="panel net-compare" data-testid="network-compare">
      <figure>
        <figcaption>
          <strong>Exits per packet and p99 latency</strong>
        </figcaption>
        <table>
          <thead>
            <tr>
              <th>variant</th>
              <th>exits/pkt</th>
              <th>irq/pkt</th>
              <th>p50 µs</th>
              <th>p99 µs</th>
              <th>Mbit/s</th>
              <th>verified</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ r, m }) => (
              <tr key={r.variant}>
                <td>{r.label}</td>
                <td>
                  <span
                    className="hbar"
                    style={{
                      display: 'inline-block',
                      width: `${(60 * m.exitsPerPacket) / maxExits}px`,
                      height: 10,
                      background: '#e5646b',
                    }}
                  />{' '}
                  {m.exitsPerPacket.toFixed(3)}
                </td>
                <td>{m.interruptsPerPacket.toFixed(3)}</td>
                <td>{m.latencyUs.p50.toFixed(1)}</td>
                <td>
                  <span
                    className="hbar"
                    style={{
                      display: 'inline-block',
                      width: `${(60 * m.latencyUs.p99) / maxP99}px`,
                      height: 10,
                      background: '#4e9af1',
                    }}
                  />{' '}
                  {m.latencyUs.p99.toFixed(1)}
                </td>
                <td>{m.throughputMbps.toFixed(0)}</td>
                <td>{m.verified ? 'yes' : 'NO'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </figure>
      {sweep.length > 1 && (
        <SweepChart points={sweep.map(({ r, m }) => ({ label: r.label, x: m.exitsPerPacket, y: m.latencyUs.p99 }))} />
      )}
      <div className="net-hists">
        {rows.map(({ r, m }) => (
          <LatencyHistogram key={r.variant} bins={m.latencyHistogram} title={`Latency: ${r.label}`} />
        ))}
      </div>
    </section>
  );
}

function SweepChart({ points }: { points: { label: string; x: number; y: number }[] }) {
  const W = 440;
  const H = 280;
  const pad = 50;
  const maxX = Math.max(...points.map((p) => p.x), 0.01) * 1.1;
  // p99 spans orders of magnitude (a saturated vCPU against a cluster of 32): a log axis.
  const minY = Math.max(0.1, Math.min(...points.map((p) => p.y)) / 1.5);
  const maxY = Math.max(...points.map((p) => p.y), minY * 10) * 1.5;
  const sx = (x: number) => pad + ((W - 2 * pad) * x) / maxX;
  const sy = (y: number) => H - pad - ((H - 2 * pad) * Math.log(Math.max(y, minY) / minY)) / Math.log(maxY / minY);
  return (
    <figure data-testid="network-sweep">
      <figcaption>
        <strong>The trade-off: exits per packet against p99 latency as the cluster grows</strong>
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-label="sweep chart">
        <line x1={pad} y1={H - pad} x2={W - pad} y2={H - pad} stroke="#888" />
        <line x1={pad} y1={pad / 2} x2={pad} y2={H - pad} stroke="#888" />
        <text x={W / 2} y={H - 12} textAnchor="middle">
          exits per packet
        </text>
        <text x={14} y={H / 2} transform={`rotate(-90 14 ${H / 2})`} textAnchor="middle">
          p99 latency (µs, log)
        </text>
        <text x={pad} y={H - pad + 16} textAnchor="middle">
          0
        </text>
        <text x={W - pad} y={H - pad + 16} textAnchor="middle">
          {maxX.toFixed(2)}
        </text>
        <text x={pad - 4} y={pad / 2 + 4} textAnchor="end">
          {maxY.toFixed(0)}
        </text>
        {points.map((p) => (
          <g key={p.label}>
            <circle cx={sx(p.x)} cy={sy(p.y)} r={6} fill="#f29e4c" />
            <text x={sx(p.x) + 8} y={sy(p.y) - 6}>
              {p.label}
            </text>
          </g>
        ))}
      </svg>
    </figure>
  );
}
