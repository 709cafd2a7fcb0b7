import type { DeviceMetrics } from '../../../engine/passthrough';

const us = (v: number) => `${v.toFixed(1)} µs`;

/** A device's figures, and its I/O by stretch (passthrough, emulated fallback, re-attached). */
export function MetricsPanel({
  m,
  migrations,
}: {
  m: DeviceMetrics;
  migrations: { status: string; note: string; vm: string }[];
}) {
  const mine = migrations.filter((g) => g.vm === m.vm || (m.segments.length > 1 && g.vm));
  return (
    <section className="panel metrics pt-metrics" data-testid={`pt-metrics-${m.id}`}>
      <h3>
        {m.id}{' '}
        <span className={`status ${m.verified ? 'status-completed' : 'status-failed'}`}>
          {m.verified ? 'verified' : 'NOT verified'}
        </span>
      </h3>
      <dl className="pt-dl">
        <dt>config reads / writes</dt>
        <dd>
          {m.configReads} / {m.configWrites}
        </dd>
        <dt>writes → virtual / hardware / dropped</dt>
        <dd>
          {m.writesToVirtual} / {m.writesToHardware} / {m.writesDropped}
        </dd>
        <dt>VM exits</dt>
        <dd data-testid="pt-exits">{m.vmExits.toLocaleString('en-US')}</dd>
        <dt>exits per I/O</dt>
        <dd data-testid="pt-exits-per-io">{m.exitsPerIo.toFixed(2)}</dd>
        <dt>I/Os · IOPS</dt>
        <dd>
          {m.ios.toLocaleString('en-US')} · {Math.round(m.iops).toLocaleString('en-US')}
        </dd>
        <dt>latency p50 / p99</dt>
        <dd>
          {us(m.ioLatencyUs.p50)} / {us(m.ioLatencyUs.p99)}
        </dd>
        <dt>DMA · IOMMU blocked</dt>
        <dd>
          {m.dmaBytes.toLocaleString('en-US')} B · <span data-testid="pt-blocked">{m.iommuBlocked}</span>
        </dd>
      </dl>
      {m.segments.length > 0 && (
        <table className="pt-segments">
          <thead>
            <tr>
              <th>stretch</th>
              <th>I/Os</th>
              <th>exits/IO</th>
              <th>latency</th>
            </tr>
          </thead>
          <tbody>
            {m.segments.map((g) => (
              <tr key={`${g.label}-${g.startNs}`}>
                <td>{g.label}</td>
                <td>{g.ios}</td>
                <td>{g.ios ? (g.exits / g.ios).toFixed(1) : '–'}</td>
                <td>{g.ios ? us(g.latencyNs / g.ios / 1000) : '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {m.note && <p className={m.verified ? 'muted' : 'pt-bad'}>{m.note}</p>}
      {mine.map((g) => (
        <p key={g.vm} className={g.status === 'refused' ? 'pt-bad' : 'muted'} data-testid="pt-migration">
          Migration of {g.vm}: <strong>{g.status}</strong>
          {g.note ? ` — ${g.note}` : ''}
        </p>
      ))}
      {m.segments.length > 1 && (
        <p className="muted">
          Restoring the copied config space on another host is our reading, not the patent’s claim.
        </p>
      )}
    </section>
  );
}
