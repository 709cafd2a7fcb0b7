import type { CheckpointMetrics } from '../../../engine/checkpoint';
import type { CompareEntry } from '../../../engine/compare';
import { fmtInt, fmtMs, formatBytes } from '../../format';

const first = (r: CompareEntry) => (r.summary as unknown as { checkpoints: CheckpointMetrics[] }).checkpoints[0];

function Bars({
  title,
  results,
  value,
  format,
}: {
  title: string;
  results: CompareEntry[];
  value: (m: CheckpointMetrics) => number;
  format: (v: number) => string;
}) {
  const max = Math.max(...results.map((r) => value(first(r)))) || 1;
  return (
    <figure className="chart">
      <figcaption>
        <strong>{title}</strong>
      </figcaption>
      <ul className="hbars" aria-label={title}>
        {results.map((r) => (
          <li key={r.variant}>
            <span>{r.label}</span>
            <span className="hbar-value">{format(value(first(r)))}</span>
            <span className={`hbar ck-variant-${r.variant}`} style={{ width: `${(100 * value(first(r))) / max}%` }} />
          </li>
        ))}
      </ul>
    </figure>
  );
}

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
        <Bars title="Mean stun" results={results} value={(m) => m.stunMs.mean} format={fmtMs} />
        <Bars
          title="Bytes per checkpoint"
          results={results}
          value={(m) => m.bytesPerEpoch.mean}
          format={(v) => formatBytes(Math.round(v))}
        />
        <Bars title="Slowdown" results={results} value={(m) => m.slowdownPct} format={(v) => `${v.toFixed(2)}%`} />
      </section>
    </>
  );
}
