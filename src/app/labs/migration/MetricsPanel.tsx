import type { MigrationMetrics } from '../../../engine/migration/metrics';
import { STRATEGY_LABELS } from '../../../engine/migration/strategies';
import { fmtInt, fmtMs, formatBytes } from '../../format';

/** A migration's figures under QEMU's query-migrate names. */
export function MetricsPanel({ m }: { m: MigrationMetrics }) {
  const rows: [string, string, string?][] = [
    ['status', m.status],
    ['total-time', fmtMs(m.totalTimeMs)],
    ['downtime', fmtMs(m.downtimeMs)],
    ['setup-time', fmtMs(m.setupTimeMs)],
    ['transferred', formatBytes(m.transferredBytes)],
    ['remaining', formatBytes(m.remainingBytes)],
    ['normal pages', fmtInt(m.normalPages), 'full pages sent so far, re-sends included'],
    ['duplicate (zero) pages', fmtInt(m.duplicatePages), 'zero pages sent as a marker so far, re-sends included'],
    ['dirty-sync-count', fmtInt(m.dirtySyncCount)],
    [
      'dirty-pages-rate',
      m.dirtySyncCount > 0 || m.dirtyPagesRate > 0 ? `${fmtInt(m.dirtyPagesRate)} pages/s` : '—',
      'pages dirtied per second over the last round, measured at each dirty-log sync',
    ],
    [
      'expected-downtime',
      fmtMs(m.expectedDowntimeMs),
      'if the VM stopped now: what must cross before it resumes, plus the device state; after resume, the downtime',
    ],
    ['mbps', m.mbps.toFixed(1), 'megabits per second sent so far'],
  ];
  if (m.strategy === 'postcopy' || m.strategy === 'hybrid') {
    rows.push(['postcopy-requests', fmtInt(m.postcopyRequests), 'remote faults']);
    rows.push(['vCPU stall', fmtMs(m.postcopyStallMs)]);
  }
  if (m.strategy === 'hybrid') {
    rows.push([
      'write-protect traps',
      fmtInt(m.wpFaults),
      'writes trapped on protected pages; a page written before it was sent traps too, and is sent with its new bytes',
    ]);
  }
  if (m.cpuThrottlePercentage > 0 || m.strategy === 'precopy') {
    rows.push(['cpu-throttle-percentage', `${m.cpuThrottlePercentage}%`]);
  }
  if (m.xbzrle.pages > 0 || m.xbzrle.cacheMiss > 0) {
    rows.push(['xbzrle pages', fmtInt(m.xbzrle.pages)]);
    rows.push(['xbzrle bytes', formatBytes(m.xbzrle.bytes)]);
    rows.push([
      'xbzrle encoding-rate',
      `${m.xbzrle.encodingRate.toFixed(1)}×`,
      'page bytes per encoded byte, over the pages sent as deltas',
    ]);
    rows.push(['xbzrle cache-miss', fmtInt(m.xbzrle.cacheMiss)]);
    rows.push(['xbzrle overflow', fmtInt(m.xbzrle.overflow)]);
  }
  if (m.diskBlocksSent > 0) rows.push(['disk blocks sent', fmtInt(m.diskBlocksSent)]);
  return (
    <section className="panel metrics" aria-label={`metrics of ${m.vm}`}>
      <h3>
        {m.vm}: {STRATEGY_LABELS[m.strategy as keyof typeof STRATEGY_LABELS]} {m.from} → {m.to}
      </h3>
      <p
        className={`status status-${m.status}${m.status === 'completed' && !m.converged ? ' status-not-converged' : ''}`}
        data-testid="migration-status"
      >
        {m.status}
        {m.status === 'completed' &&
          (m.verified ? ' · verified byte-equal ✓' : ` · ${fmtInt(m.mismatchedPages)} pages DIFFER ✗`)}
        {m.status === 'completed' && !m.converged && ' · did not converge'}
      </p>
      {m.note && <p className="note">{m.note}</p>}
      <dl>
        {rows.map(([k, v, hint]) => (
          <div key={k} title={hint}>
            <dt>{k}</dt>
            <dd data-metric={k}>{v}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
