import type { RoundVerdict } from '../../../engine/migration/metrics';
import type { RoundStat } from '../../../engine/migration/model';
import { fmtInt, fmtMs, formatBytes } from '../../format';

/** One row per pass: live rounds, the stopped pass, and post-copy's push after resume. */
export function RoundTable({ rounds, verdicts }: { rounds: RoundStat[]; verdicts: RoundVerdict[] }) {
  if (rounds.length === 0) return null;
  const verdictOf = new Map(verdicts.map((v) => [v.round, v]));
  const why = verdicts.length > 0;
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
            {why && (
              <>
                <th title="pages dirtied during the round per page sent in it: under 1 the rounds shrink">
                  dirtied / sent
                </th>
                <th title="the pages dirtied fit in the downtime limit at the round's bandwidth: pre-copy stops the VM">
                  fits limit
                </th>
              </>
            )}
            <th>VM</th>
          </tr>
        </thead>
        <tbody>
          {rounds.map((r) => {
            const v = r.stopped || r.push ? undefined : verdictOf.get(r.round);
            return (
              <tr key={r.round} className={r.stopped ? 'stopped' : r.push ? 'push' : undefined}>
                <td>{r.push ? 'post-copy' : r.round}</td>
                <td>{fmtMs(r.startMs)}</td>
                <td>{fmtMs(r.durationMs)}</td>
                <td>{fmtInt(r.pagesSent)}</td>
                <td>{formatBytes(r.bytesSent)}</td>
                <td>{r.stopped || r.push ? '' : fmtInt(r.pagesDirtied)}</td>
                {why && (
                  <>
                    <td>{v ? v.dirtiedPerSent.toFixed(2) : ''}</td>
                    <td title={v ? `${fmtInt(Math.floor(v.thresholdPages))} pages fit` : undefined}>
                      {v ? (v.fits ? 'yes' : 'no') : ''}
                    </td>
                  </>
                )}
                <td>{r.stopped ? 'stopped' : r.push ? 'on destination' : 'running'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
