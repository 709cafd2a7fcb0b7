import type { CompareEntry } from '../../../engine/compare';
import type { PoolMetrics } from '../../../engine/pool';

const metricsOf = (r: CompareEntry) => (r.summary as unknown as { pools: PoolMetrics[] }).pools?.[0];

/** The variants side by side: space they needed and the jobs they carried, with bars of peak space. */
export function PoolCompare({ results }: { results: CompareEntry[] }) {
  const rows = results.map((r) => ({ r, m: metricsOf(r) })).filter((x) => x.m);
  const top = Math.max(1, ...rows.map(({ m }) => Math.max(m.peakUsedMiB, m.provisionedMiB, m.sizeMiB)));
  return (
    <section className="panel pool-compare" data-testid="pool-compare">
      <table>
        <thead>
          <tr>
            <th>variant</th>
            <th>peak space used</th>
            <th>sum of VM peaks</th>
            <th>provisioned</th>
            <th>jobs ok</th>
            <th>jobs failed</th>
            <th>VMs not started</th>
            <th>queued</th>
            <th>verified</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ r, m }) => (
            <tr key={r.variant}>
              <td>{r.label}</td>
              <td>
                <span className="pool-bar" style={{ width: `${(120 * m.peakUsedMiB) / top}px` }} /> {m.peakUsedMiB} MiB
              </td>
              <td>{m.sumOfVmPeaksMiB} MiB</td>
              <td>{m.provisionedMiB} MiB</td>
              <td>{m.jobsCompleted}</td>
              <td className={m.jobsFailed > 0 ? 'pool-bad' : ''}>{m.jobsFailed}</td>
              <td className={m.vmsNotStarted > 0 ? 'pool-bad' : ''}>{m.vmsNotStarted}</td>
              <td>{m.queuedMs.toFixed(0)} ms</td>
              <td>{m.verified && m.isolationViolations === 0 ? 'yes' : 'NO'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">
        Datastore: {rows[0]?.m.sizeMiB} MiB for every variant. Bars: peak space used, on a scale to {Math.round(top)}{' '}
        MiB.
      </p>
    </section>
  );
}
