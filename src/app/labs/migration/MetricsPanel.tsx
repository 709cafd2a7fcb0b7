import { downtimeText, type MigrationMetrics } from '../../../engine/migration/metrics';
import { STRATEGY_LABELS } from '../../../engine/migration/strategies';
import { fmtInt, fmtMs, formatBytes } from '../../format';
import { RatesBox } from './RatesBox';
import { fmtMiBps } from './units';

export const EXPECTED_DOWNTIME_HINT =
  "QEMU's expected-downtime: the bytes still dirty at the last dirty-log sync, divided by the bandwidth. It changes only at a sync (post-copy and hybrid: memory not counted, it follows after resume; the device state is added). The downtime breakpoint watches this figure. After resume: the downtime.";
export const STOPPED_NOW_HINT =
  'If the VM stopped now: the pages still queued plus those dirtied since the last sync, dirty disk blocks and the device state, at the bandwidth, plus one latency (downtimeIfStoppedNowMs in --json). After resume: the downtime.';

/** A migration's figures under QEMU's query-migrate names, rates in MiB/s. */
export function MetricsPanel({ m }: { m: MigrationMetrics }) {
  const rows: [string, string, string?][] = [
    ['status', m.status],
    ['total-time', fmtMs(m.totalTimeMs)],
    [
      'downtime',
      downtimeText(m, fmtMs),
      m.stranded
        ? 'the link failed after the VM resumed on the destination: it runs nowhere, its downtime has no end'
        : undefined,
    ],
    ['setup-time', fmtMs(m.setupTimeMs)],
    ['transferred', formatBytes(m.transferredBytes)],
    ['remaining', formatBytes(m.remainingBytes)],
    ['normal pages', fmtInt(m.normalPages), 'full pages sent so far, re-sends included'],
    ['duplicate (zero) pages', fmtInt(m.duplicatePages), 'zero pages sent as a marker so far, re-sends included'],
    ['dirty-sync-count', fmtInt(m.dirtySyncCount)],
    [
      'dirty-pages-rate',
      m.dirtySyncCount > 0 || m.dirtyPagesRate > 0 ? `${fmtMiBps(m.dirtyRateMiBps)}` : '—',
      `pages dirtied over the last round, measured at each dirty-log sync: ${fmtInt(m.dirtyPagesRate)} pages/s (a page counts once per round)`,
    ],
    ['expected-downtime', m.stranded ? 'stranded' : fmtMs(m.expectedDowntimeMs), EXPECTED_DOWNTIME_HINT],
    ['if stopped now', m.stranded ? 'stranded' : fmtMs(m.downtimeIfStoppedNowMs), STOPPED_NOW_HINT],
    [
      'throughput',
      fmtMiBps((m.mbps * 1e6) / 8 / 2 ** 20),
      `bytes sent so far over the total time (QEMU's mbps: ${m.mbps.toFixed(1)} megabits/s)`,
    ],
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
      'xbzrle bytes saved',
      formatBytes(m.xbzrle.bytesSaved),
      'the pages sent as deltas would have taken this many more bytes sent whole',
    ]);
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
        className={`status status-${m.status}${m.status === 'completed' && !m.converged ? ' status-not-converged' : ''}${m.stranded ? ' status-stranded' : ''}`}
        data-testid="migration-status"
      >
        {m.status}
        {m.status === 'completed' &&
          (m.verified ? ' · verified byte-equal ✓' : ` · ${fmtInt(m.mismatchedPages)} pages DIFFER ✗`)}
        {m.status === 'completed' && !m.converged && ' · did not converge'}
        {m.stranded && ' · stranded: runs nowhere'}
      </p>
      {m.note && <p className="note">{m.note}</p>}
      <RatesBox m={m} />
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
