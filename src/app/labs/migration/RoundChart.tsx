import * as d3 from 'd3';
import { useEffect, useRef } from 'react';
import type { RoundStat } from '../../../engine/migration/model';

const W = 420;
const H = 190;
const M = { top: 12, right: 14, bottom: 34, left: 44 };
/** Round numbers of up to two digits fit side by side about this many times along the axis. */
const MAX_TICKS = 15;

/** Pages sent and pages dirtied per round: pre-copy converges when the second bar shrinks. */
export function RoundChart({ rounds }: { rounds: RoundStat[] }) {
  const ref = useRef<SVGSVGElement>(null);
  const hasStopped = rounds.some((r) => r.stopped);
  const hasPush = rounds.some((r) => r.push);

  useEffect(() => {
    const svg = d3.select(ref.current);
    svg.selectAll('*').remove();
    if (rounds.length === 0) return;
    const label = (r: RoundStat) => (r.push ? 'push' : String(r.round));
    const x = d3
      .scaleBand<string>()
      .domain(rounds.map(label))
      .range([M.left, W - M.right])
      .padding(0.2);
    const inner = d3.scaleBand<string>().domain(['sent', 'dirtied']).range([0, x.bandwidth()]).padding(0.08);
    const max = d3.max(rounds, (r) => Math.max(r.pagesSent, r.pagesDirtied)) ?? 1;
    const y = d3
      .scaleLinear()
      .domain([0, max])
      .nice()
      .range([H - M.bottom, M.top]);
    const tickStep = Math.ceil(rounds.length / MAX_TICKS);
    svg
      .append('g')
      .attr('transform', `translate(0,${H - M.bottom})`)
      .call(d3.axisBottom(x).tickValues(x.domain().filter((_, i) => i % tickStep === 0)));
    svg.append('g').attr('transform', `translate(${M.left},0)`).call(d3.axisLeft(y).ticks(5, '~s'));
    svg
      .append('text')
      .attr('x', (M.left + W - M.right) / 2)
      .attr('y', H - 4)
      .attr('text-anchor', 'middle')
      .attr('class', 'axis-label')
      .text('round');
    const groups = svg
      .append('g')
      .selectAll('g')
      .data(rounds)
      .join('g')
      .attr('transform', (r) => `translate(${x(label(r))},0)`);
    const bar = (key: 'sent' | 'dirtied', value: (r: RoundStat) => number) =>
      groups
        .append('rect')
        .attr('class', (r) => `bar-${key}${r.stopped ? ' bar-stopped' : r.push ? ' bar-push' : ''}`)
        .attr('x', inner(key) ?? 0)
        .attr('width', inner.bandwidth())
        .attr('y', (r) => y(value(r)))
        .attr('height', (r) => y(0) - y(value(r)))
        .append('title')
        .text(
          (r) =>
            `${r.push ? 'post-copy push (VM on the destination)' : `round ${r.round}`}${r.stopped ? ' (VM stopped)' : ''}: ${value(r).toLocaleString('en-US')} pages ${key}`,
        );
    bar('sent', (r) => r.pagesSent);
    bar('dirtied', (r) => (r.stopped || r.push ? 0 : r.pagesDirtied));
  }, [rounds]);

  return (
    <figure className="chart">
      <figcaption>
        <strong>Rounds</strong> <span className="key key-sent">pages sent</span>{' '}
        <span className="key key-dirtied">pages dirtied meanwhile</span>
        {hasStopped && (
          <>
            {' '}
            <span className="key key-stopped">sent with the VM stopped</span>
          </>
        )}
        {hasPush && (
          <>
            {' '}
            <span className="key key-push">pushed or faulted in after resume</span>
          </>
        )}
      </figcaption>
      {rounds.length === 0 ? (
        <p className="muted empty">No pass has finished yet.</p>
      ) : (
        <svg ref={ref} viewBox={`0 0 ${W} ${H}`} role="img" aria-label="pages sent and dirtied per round" />
      )}
    </figure>
  );
}
