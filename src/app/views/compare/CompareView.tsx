import * as d3 from 'd3';
import { useEffect, useRef } from 'react';
import { STRATEGY_LABELS } from '../../../engine/migration/strategies';
import type { Strategy } from '../../../engine/scenario/schema';
import { fmtInt, fmtMs, formatBytes } from '../../format';
import { type CompareResult, setState, useStore } from '../../store/store';
import { runCompare } from '../../store/workerClient';

const ALL: Strategy[] = ['stopcopy', 'precopy', 'postcopy', 'hybrid'];

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
  const ref = useRef<SVGSVGElement>(null);
  const W = 360;
  const H = 26 * results.length + 24;
  useEffect(() => {
    const svg = d3.select(ref.current);
    svg.selectAll('*').remove();
    const x = d3
      .scaleLinear()
      .domain([0, d3.max(results, value) || 1])
      .range([0, W - 220]);
    const rows = svg
      .selectAll('g')
      .data(results)
      .join('g')
      .attr('transform', (_, i) => `translate(0,${8 + i * 26})`);
    rows
      .append('text')
      .attr('class', 'bar-label')
      .attr('x', 0)
      .attr('y', 14)
      .text((r) => STRATEGY_LABELS[r.strategy]);
    rows
      .append('rect')
      .attr('class', (r) => `bar bar-${r.strategy}`)
      .attr('x', 150)
      .attr('y', 2)
      .attr('height', 16)
      .attr('width', (r) => Math.max(1, x(value(r))));
    rows
      .append('text')
      .attr('class', 'bar-value')
      .attr('x', (r) => 156 + x(value(r)))
      .attr('y', 14)
      .text((r) => format(value(r)));
  }, [results, value, format]);
  return (
    <figure className="chart">
      <figcaption>
        <strong>{title}</strong>
      </figcaption>
      <svg ref={ref} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={title} />
    </figure>
  );
}

/** The same VM, workload and seed moved by each strategy: one table, two charts. */
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
                <th>rounds</th>
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
                    <td>{m.rounds.length}</td>
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
