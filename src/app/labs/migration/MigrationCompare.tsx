import type { CompareEntry } from '../../../engine/compare';
import { convergence, downtimeText, type MigrationMetrics } from '../../../engine/migration/metrics';
import { fmtInt, fmtMs, formatBytes } from '../../format';

/** One horizontal bar per strategy, drawn in HTML so its text stays at the page's size at any width. */
function BarChart({
  title,
  results,
  value,
  format,
  unbounded,
}: {
  title: string;
  results: CompareEntry[];
  value: (r: CompareEntry) => number;
  format: (v: number) => string;
  /** Entries whose figure has no end (a stranded VM's downtime): drawn as such, not as a bar of some length. */
  unbounded?: (r: CompareEntry) => string | undefined;
}) {
  const max = Math.max(...results.filter((r) => !unbounded?.(r)).map(value)) || 1;
  return (
    <figure className="chart">
      <figcaption>
        <strong>{title}</strong>
      </figcaption>
      <ul className="hbars" aria-label={title}>
        {results.map((r) => {
          const endless = unbounded?.(r);
          return (
            <li key={r.variant} className={endless ? 'hbar-unbounded' : undefined}>
              <span>{r.label}</span>
              <span className="hbar-value">{endless ?? format(value(r))}</span>
              {endless ? (
                <span className="hbar hbar-stranded" />
              ) : (
                <span className={`hbar strategy-${r.variant}`} style={{ width: `${(100 * value(r)) / max}%` }} />
              )}
            </li>
          );
        })}
      </ul>
    </figure>
  );
}

/** The same VM, workload and seed moved by each strategy: one table, three charts. */
export function MigrationCompare({ results }: { results: CompareEntry[] }) {
  return (
    <>
      <section className="panel">
        <table className="data" data-testid="compare-table">
          <thead>
            <tr>
              <th>strategy</th>
              <th>status</th>
              <th>total time</th>
              <th>downtime</th>
              <th title="pre-copy: its dirty pages came to fit in the downtime limit (no: it hit its round cap)">
                converged
              </th>
              <th>transferred</th>
              <th>live rounds</th>
              <th>remote faults</th>
              <th>vCPU stall</th>
              <th>verified</th>
            </tr>
          </thead>
          <tbody>
            {results.map((r) => {
              const m = first(r);
              return (
                <tr key={r.variant}>
                  <td>{r.label}</td>
                  <td>{m.status}</td>
                  <td>{fmtMs(m.totalTimeMs)}</td>
                  <td className={m.stranded ? 'stranded' : undefined}>{downtimeText(m, fmtMs)}</td>
                  <td className={`converged-${convergence(m).replace('/', '')}`}>{convergence(m)}</td>
                  <td>{formatBytes(m.transferredBytes)}</td>
                  <td title="passes made while the VM ran on the source">
                    {m.rounds.filter((x) => !x.stopped && !x.push).length}
                  </td>
                  <td>{fmtInt(m.postcopyRequests)}</td>
                  <td>{fmtMs(m.postcopyStallMs)}</td>
                  <td>{m.verified ? '✓' : '✗'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
      <div className="compare-charts">
        <BarChart
          title="Downtime"
          results={results}
          value={(r) => first(r).downtimeMs}
          format={fmtMs}
          unbounded={(r) => (first(r).stranded ? 'stranded: runs nowhere' : undefined)}
        />
        <BarChart
          title="Bytes on the wire"
          results={results}
          value={(r) => first(r).transferredBytes}
          format={formatBytes}
        />
        <BarChart title="Total time" results={results} value={(r) => first(r).totalTimeMs} format={fmtMs} />
      </div>
    </>
  );
}

const first = (r: CompareEntry): MigrationMetrics => r.summary.migrations[0];
