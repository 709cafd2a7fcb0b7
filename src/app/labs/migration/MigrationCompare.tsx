import type { CompareEntry } from '../../../engine/compare';
import { convergence, downtimeText, type MigrationMetrics } from '../../../engine/migration/metrics';
import { fmtInt, fmtMs, formatBytes } from '../../format';
import { HBars } from '../../views/charts/HBars';

/** The strategy's colour, as the legend and the timeline use it. */
const strategyBar = (r: CompareEntry) => `strategy-${r.variant}`;

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
        <HBars
          barClass={strategyBar}
          title="Downtime"
          results={results}
          value={(r) => first(r).downtimeMs}
          format={fmtMs}
          unbounded={(r) => (first(r).stranded ? 'stranded: runs nowhere' : undefined)}
        />
        <HBars
          barClass={strategyBar}
          title="Bytes on the wire"
          results={results}
          value={(r) => first(r).transferredBytes}
          format={formatBytes}
        />
        <HBars
          title="Total time"
          barClass={strategyBar}
          results={results}
          value={(r) => first(r).totalTimeMs}
          format={fmtMs}
        />
      </div>
    </>
  );
}

const first = (r: CompareEntry): MigrationMetrics => r.summary.migrations[0];
