import type { CheckpointMetrics } from '../../../engine/checkpoint';
import type { CompareEntry } from '../../../engine/compare';
import { fmtInt, fmtMs, formatBytes } from '../../format';
import { HBars } from '../../views/charts/HBars';

const first = (r: CompareEntry) => (r.summary as unknown as { checkpoints: CheckpointMetrics[] }).checkpoints[0];

const variantBar = (r: CompareEntry) => `ck-variant-${r.variant}`;

/** The same VM, workload and seed protected by each strategy. */
export function CheckpointCompare({ results }: { results: CompareEntry[] }) {
  return (
    <>
      <section className="panel">
        <table className="data" data-testid="compare-table">
          <thead>
            <tr>
              <th>strategy</th>
              <th>epochs</th>
              <th>stun mean</th>
              <th>stun p99</th>
              <th>slowdown</th>
              <th>bytes / epoch</th>
              <th>saved</th>
              <th>sent while running</th>
              <th>output p99</th>
              <th>verified</th>
            </tr>
          </thead>
          <tbody>
            {results.map((r) => {
              const m = first(r);
              return (
                <tr key={r.variant}>
                  <td>{r.label}</td>
                  <td>{fmtInt(m.epochs)}</td>
                  <td>{fmtMs(m.stunMs.mean)}</td>
                  <td>{fmtMs(m.stunMs.p99)}</td>
                  <td>{m.slowdownPct.toFixed(2)}%</td>
                  <td>{formatBytes(Math.round(m.bytesPerEpoch.mean))}</td>
                  <td>{m.bytesSavedPct.toFixed(1)}%</td>
                  <td>{fmtInt(m.pagesSentWhileRunning)}</td>
                  <td>{fmtMs(m.outputDelayMs.p99)}</td>
                  <td>{m.mismatchedPages === 0 ? `yes (${m.verifiedCheckpoints})` : `NO (${m.mismatchedPages})`}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
      <section className="panel ck-compare-charts">
        <HBars
          title="Mean stun"
          results={results}
          value={(r) => first(r).stunMs.mean}
          format={fmtMs}
          barClass={variantBar}
        />
        <HBars
          title="Bytes per checkpoint"
          results={results}
          value={(r) => first(r).bytesPerEpoch.mean}
          format={(v) => formatBytes(Math.round(v))}
          barClass={variantBar}
        />
        <HBars
          title="Slowdown"
          results={results}
          value={(r) => first(r).slowdownPct}
          format={(v) => `${v.toFixed(2)}%`}
          barClass={variantBar}
        />
      </section>
    </>
  );
}
