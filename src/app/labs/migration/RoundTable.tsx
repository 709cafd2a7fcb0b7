import type { RoundStat } from '../../../engine/migration/model';
import { fmtInt, fmtMs, formatBytes } from '../../format';

/** One row per pass: live rounds, the stopped pass, and post-copy's push after resume. */
export function RoundTable({ rounds }: { rounds: RoundStat[] }) {
  if (rounds.length === 0) return null;
  return (
    <div className="table-scroll">
      <table className="data" data-testid="round-table">
        <thead>
          <tr>
            <th>round</th>
            <th>start</th>
            <th>duration</th>
            <th>pages sent</th>
            <th>bytes sent</th>
            <th>pages dirtied</th>
            <th>VM</th>
          </tr>
        </thead>
        <tbody>
          {rounds.map((r) => (
            <tr key={r.round} className={r.stopped ? 'stopped' : r.push ? 'push' : undefined}>
              <td>{r.push ? 'post-copy' : r.round}</td>
              <td>{fmtMs(r.startMs)}</td>
              <td>{fmtMs(r.durationMs)}</td>
              <td>{fmtInt(r.pagesSent)}</td>
              <td>{formatBytes(r.bytesSent)}</td>
              <td>{r.stopped || r.push ? '' : fmtInt(r.pagesDirtied)}</td>
              <td>{r.stopped ? 'stopped' : r.push ? 'on destination' : 'running'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
