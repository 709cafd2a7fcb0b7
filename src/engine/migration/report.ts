import { formatBytes } from '../kernel/clock';
import type { Report } from '../mechanismDefinition';
import { convergence, downtimeText, type MigrationMetrics } from './metrics';

const ms = (v: number) => `${v.toFixed(v >= 100 ? 0 : 2)} ms`;

/** How the CLI prints migrations: one row each, then each one's rounds. */
export const MIGRATION_REPORT: Report<MigrationMetrics> = {
  columns: [
    { label: 'vm', value: (m) => m.vm },
    { label: 'strategy', value: (m) => m.strategy },
    { label: 'status', value: (m) => m.status },
    { label: 'total', value: (m) => ms(m.totalTimeMs) },
    { label: 'downtime', value: (m) => downtimeText(m, ms) },
    { label: 'converged', value: convergence },
    { label: 'transferred', value: (m) => formatBytes(m.transferredBytes) },
    { label: 'rounds', value: (m) => String(m.rounds.length) },
    { label: 'faults', value: (m) => String(m.postcopyRequests) },
    { label: 'stall', value: (m) => ms(m.postcopyStallMs) },
    { label: 'verified', value: (m) => (m.verified ? 'yes' : `NO (${m.mismatchedPages} pages differ)`) },
  ],
  note: (m) => m.note || undefined,
  details: (m) =>
    m.rounds.length === 0
      ? []
      : [
          {
            title: `${m.vm} rounds`,
            header: ['round', 'start', 'duration', 'pages sent', 'bytes sent', 'pages dirtied', 'dirtied/sent', 'vm'],
            rows: m.rounds.map((r) => [
              String(r.round),
              ms(r.startMs),
              ms(r.durationMs),
              r.pagesSent.toLocaleString('en-US'),
              formatBytes(r.bytesSent),
              r.stopped ? '' : r.pagesDirtied.toLocaleString('en-US'),
              r.stopped || r.push || r.pagesSent === 0 ? '' : (r.pagesDirtied / r.pagesSent).toFixed(2),
              r.stopped ? 'stopped' : r.push ? 'on destination' : 'running',
            ]),
          },
        ],
};
