import { PAGE_SIZE } from '../../../engine/hw/guestMemory';
import type { MigrationMetrics } from '../../../engine/migration/metrics';
import { fmtMs, formatBytes } from '../../format';
import { fmtMiBps } from './units';

/**
 * Why a pre-copy converges or not, at a glance: the guest's dirty rate against the link's
 * bandwidth in one unit, the threshold the dirty pages must fit under, and what XBZRLE saved.
 */
export function RatesBox({ m }: { m: MigrationMetrics }) {
  const measured = m.dirtySyncCount > 0 ? m.dirtyRateMiBps : undefined;
  const rates: [string, number | undefined, string, string][] = [
    ['dirty rate (configured)', m.configuredDirtyMiBps, 'rate-dirty', "the workload's dirtyMiBps in the scenario"],
    [
      'dirty rate (measured)',
      measured,
      'rate-dirty-measured',
      'pages found dirty at the last sync over the round they were dirtied in: a page rewritten in a round counts once',
    ],
    ['bandwidth', m.bandwidthMiBps, 'rate-bandwidth', 'measured over the last pass; before one, the link share'],
  ];
  const max = Math.max(...rates.map(([, v]) => v ?? 0)) || 1;
  const xbzrleTotal = m.transferredBytes + m.xbzrle.bytesSaved;
  return (
    <div className="rates" data-testid="rates">
      <ul aria-label="dirty rate against bandwidth, MiB/s">
        {rates.map(([label, value, cls, hint]) => (
          <li key={label} title={hint}>
            <span>{label}</span>
            <span className="rate-value" data-rate={cls}>
              {value === undefined ? '—' : fmtMiBps(value)}
            </span>
            <span className={`rate-bar ${cls}`} style={{ width: `${(100 * (value ?? 0)) / max}%` }} />
          </li>
        ))}
      </ul>
      {m.strategy === 'precopy' && (
        <p className="rates-threshold" data-testid="threshold">
          Stops the VM when the dirty pages fit in <strong>{formatBytes(m.thresholdBytes)}</strong> (
          {fmtMs(m.downtimeLimitMs)} at {fmtMiBps(m.bandwidthMiBps)}); the last sync found{' '}
          <strong>{formatBytes(m.dirtyBytesLastSync)}</strong>.
        </p>
      )}
      {m.xbzrle.pages > 0 && (
        <p className="rates-saved" data-testid="xbzrle-saved">
          XBZRLE saved <strong>{formatBytes(m.xbzrle.bytesSaved)}</strong>: {m.xbzrle.pages.toLocaleString('en-US')}{' '}
          pages went as {formatBytes(m.xbzrle.bytes)} of deltas instead of {formatBytes(m.xbzrle.pages * PAGE_SIZE)},{' '}
          {((100 * m.xbzrle.bytesSaved) / xbzrleTotal).toFixed(0)}% of what the whole migration would have sent without
          it.
        </p>
      )}
    </div>
  );
}
