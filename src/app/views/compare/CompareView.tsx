import { useEffect } from 'react';
import { STRATEGY_LABELS } from '../../../engine/migration/strategies';
import type { Strategy } from '../../../engine/scenario/schema';
import { fmtInt, fmtMs, formatBytes } from '../../format';
import { type CompareResult, setState, useStore } from '../../store/store';
import { runCompare } from '../../store/workerClient';

const ALL: Strategy[] = ['stopcopy', 'precopy', 'postcopy', 'hybrid'];

/** One horizontal bar per strategy, drawn in HTML so its text stays at the page's size at any width. */
function BarChart({
  title,
  results,
  value,
  format,
}: {
  title: string;
  results: CompareResult[];
  value: (r: CompareResult) => number;
  format: (v: number) => string;
}) {
  const max = Math.max(...results.map(value)) || 1;
  return (
    <figure className="chart">
      <figcaption>
        <strong>{title}</strong>
      </figcaption>
      <ul className="hbars" aria-label={title}>
        {results.map((r) => (
          <li key={r.strategy}>
            <span>{STRATEGY_LABELS[r.strategy]}</span>
            <span className="hbar-value">{format(value(r))}</span>
            <span className={`hbar strategy-${r.strategy}`} style={{ width: `${(100 * value(r)) / max}%` }} />
          </li>
        ))}
      </ul>
    </figure>
  );
}

/** The same VM, workload and seed moved by each strategy: one table, three charts. */
export function CompareView() {
  const results = useStore((s) => s.compareResults);
  const comparing = useStore((s) => s.comparing);
  const scenario = useStore((s) => s.scenario);
  const compare = useStore((s) => s.compare);
  const chosen = compare.length > 0 ? compare : ALL;
  // Opening the view on a scenario not compared yet runs the comparison once.
  const hasRun = results !== null || comparing;
  useEffect(() => {
    if (!hasRun && scenario) runCompare(scenario, chosen);
  }, [hasRun, scenario, chosen]);
  const toggle = (s: Strategy, on: boolean) => {
    const next = ALL.filter((x) => (x === s ? on : chosen.includes(x)));
    setState({ compare: next });
  };
  return (
    <div className="compare-view">
      <section className="panel">
        <h3>Compare strategies on this scenario's first migration</h3>
        <div className="compare-choices">
          {ALL.map((s) => (
            <label key={s}>
              <input type="checkbox" checked={chosen.includes(s)} onChange={(e) => toggle(s, e.target.checked)} />{' '}
              {STRATEGY_LABELS[s]}
            </label>
          ))}
          <button
            type="button"
            className="primary"
            disabled={!scenario || comparing || chosen.length === 0}
            onClick={() => scenario && runCompare(scenario, chosen)}
          >
            {comparing ? 'Running…' : 'Run comparison'}
          </button>
        </div>
        {results && results.length === 0 && <p className="muted">This scenario has no migration to compare.</p>}
        {results && results.length > 0 && (
          <table className="data" data-testid="compare-table">
            <thead>
              <tr>
                <th>strategy</th>
                <th>status</th>
                <th>total time</th>
                <th>downtime</th>
                <th>transferred</th>
                <th>live rounds</th>
                <th>remote faults</th>
                <th>vCPU stall</th>
                <th>verified</th>
              </tr>
            </thead>
            <tbody>
              {results.map(({ strategy, summary }) => {
                const m = summary.migrations[0];
                return (
                  <tr key={strategy}>
                    <td>{STRATEGY_LABELS[strategy]}</td>
                    <td>{m.status}</td>
                    <td>{fmtMs(m.totalTimeMs)}</td>
                    <td>{fmtMs(m.downtimeMs)}</td>
                    <td>{formatBytes(m.transferredBytes)}</td>
                    <td title="passes made while the VM ran on the source">
                      {m.rounds.filter((r) => !r.stopped && !r.push).length}
                    </td>
                    <td>{fmtInt(m.postcopyRequests)}</td>
                    <td>{fmtMs(m.postcopyStallMs)}</td>
                    <td>{m.verified ? '✓' : '✗'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>
      {results && results.length > 0 && (
        <div className="compare-charts">
          <BarChart title="Downtime" results={results} value={downtime} format={fmtMs} />
          <BarChart title="Bytes on the wire" results={results} value={transferred} format={formatBytes} />
          <BarChart title="Total time" results={results} value={total} format={fmtMs} />
        </div>
      )}
    </div>
  );
}

const downtime = (r: CompareResult) => r.summary.migrations[0].downtimeMs;
const transferred = (r: CompareResult) => r.summary.migrations[0].transferredBytes;
const total = (r: CompareResult) => r.summary.migrations[0].totalTimeMs;
