/** Packets per latency range (one bar per doubling), from the guest posting a packet to its delivery. */
export function LatencyHistogram({ bins, title }: { bins: [number, number, number][]; title: string }) {
  if (bins.length === 0) return null;
  const max = Math.max(...bins.map((b) => b[2]), 1);
  const total = bins.reduce((a, b) => a + b[2], 0);
  const label = (us: number) =>
    us >= 1000 ? `${(us / 1000).toFixed(us >= 10_000 ? 0 : 1)} ms` : `${us.toFixed(us < 10 ? 1 : 0)} µs`;
  return (
    <figure className="net-hist" data-testid="latency-histogram" data-highlight="metric:latency">
      <figcaption>
        <strong>{title}</strong> <span className="muted">{total.toLocaleString('en-US')} packets</span>
      </figcaption>
      <ul aria-label={title}>
        {bins.map(([from, to, n]) => (
          <li key={from} title={`${n.toLocaleString('en-US')} packets between ${label(from)} and ${label(to)}`}>
            <span className="net-hist-range">
              {label(from)}–{label(to)}
            </span>
            <span className="net-hist-bar" style={{ width: `${(100 * n) / max}%` }} />
            <span className="net-hist-count">{n.toLocaleString('en-US')}</span>
          </li>
        ))}
      </ul>
    </figure>
  );
}
