import * as d3 from 'd3';
import { useEffect, useRef, useState } from 'react';
import type { RoundVerdict } from '../../../engine/migration/metrics';
import type { RoundStat } from '../../../engine/migration/model';

/** Height in CSS pixels; the width follows the panel, so text keeps its CSS size at any width. */
const H = 210;
const M = { top: 18, right: 14, bottom: 34, left: 50 };
/** Room right of the bars for the limit's label. */
const LIMIT_LABEL_ROOM = 52;
/** Width one round label needs, in CSS pixels. */
const TICK_ROOM = 26;
/** A group this wide or wider has room for its dirtied/sent ratio above it. */
const RATIO_ROOM = 30;

/** The chart's width in CSS pixels, as laid out. */
function useWidth(ref: React.RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => setWidth(Math.floor(entry.contentRect.width)));
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}

/**
 * Pages sent and pages dirtied per round, with the downtime limit as a line (pages that fit in
 * it at the bandwidth measured over each round): pre-copy stops once a dirtied bar is under it.
 */
export function RoundChart({
  rounds,
  verdicts,
  limitMs,
}: {
  rounds: RoundStat[];
  verdicts: RoundVerdict[];
  limitMs: number;
}) {
  const box = useRef<HTMLDivElement>(null);
  const ref = useRef<SVGSVGElement>(null);
  const width = useWidth(box);
  const [log, setLog] = useState(false);
  const hasStopped = rounds.some((r) => r.stopped);
  const hasPush = rounds.some((r) => r.push);
  const showLimit = verdicts.length > 0;
  const right = M.right + (showLimit ? LIMIT_LABEL_ROOM : 0);
  // Each round's two bars get 80% of its step: the ratio is written above them when that is wide enough.
  const showRatios = showLimit && (0.8 * (width - M.left - right)) / Math.max(1, rounds.length) >= RATIO_ROOM;

  useEffect(() => {
    const svg = d3.select(ref.current);
    svg.selectAll('*').remove();
    if (rounds.length === 0 || width === 0) return;
    const label = (r: RoundStat) => (r.push ? 'push' : String(r.round));
    const x = d3
      .scaleBand<string>()
      .domain(rounds.map(label))
      .range([M.left, width - right])
      .padding(0.2);
    const inner = d3.scaleBand<string>().domain(['sent', 'dirtied']).range([0, x.bandwidth()]).padding(0.08);
    const dirtied = (r: RoundStat) => (r.stopped || r.push ? 0 : r.pagesDirtied);
    const max = Math.max(
      1,
      d3.max(rounds, (r) => Math.max(r.pagesSent, dirtied(r))) ?? 1,
      d3.max(verdicts, (v) => v.thresholdPages) ?? 1,
    );
    const range = [H - M.bottom, M.top];
    const y = log
      ? d3.scaleLog().domain([1, max]).clamp(true).nice().range(range)
      : d3.scaleLinear().domain([0, max]).nice().range(range);
    const base = y(log ? 1 : 0);
    const tickStep = Math.ceil((rounds.length * TICK_ROOM) / Math.max(1, width - M.left - right));
    svg
      .append('g')
      .attr('transform', `translate(0,${H - M.bottom})`)
      .call(d3.axisBottom(x).tickValues(x.domain().filter((_, i) => i % tickStep === 0)));
    svg
      .append('g')
      .attr('transform', `translate(${M.left},0)`)
      .call(d3.axisLeft(y).ticks(log ? 4 : 5, '~s'));
    svg
      .append('text')
      .attr('x', (M.left + width - right) / 2)
      .attr('y', H - 4)
      .attr('text-anchor', 'middle')
      .attr('class', 'axis-label')
      .text(log ? 'round (pages on a log scale)' : 'round');
    const groups = svg
      .append('g')
      .selectAll('g')
      .data(rounds)
      .join('g')
      .attr('transform', (r) => `translate(${x(label(r))},0)`);
    const verdictOf = new Map(verdicts.map((v) => [v.round, v]));
    const ratio = (r: RoundStat) => verdictOf.get(r.round)?.dirtiedPerSent;
    const bar = (key: 'sent' | 'dirtied', value: (r: RoundStat) => number) =>
      groups
        .append('rect')
        .attr('class', (r) => `bar-${key}${r.stopped ? ' bar-stopped' : r.push ? ' bar-push' : ''}`)
        .attr('x', inner(key) ?? 0)
        .attr('width', inner.bandwidth())
        .attr('y', (r) => Math.min(base, y(Math.max(value(r), log ? 1 : 0))))
        .attr('height', (r) => (value(r) > 0 ? Math.max(0, base - y(Math.max(value(r), 1))) : 0))
        .append('title')
        .text((r) => {
          const v = verdictOf.get(r.round);
          const why =
            key === 'dirtied' && v && !r.stopped && !r.push
              ? `; dirtied/sent ${v.dirtiedPerSent.toFixed(2)}; ${v.fits ? 'fits' : 'does not fit'} in the ${limitMs} ms limit (${Math.floor(v.thresholdPages).toLocaleString('en-US')} pages)`
              : '';
          return `${r.push ? 'post-copy push (VM on the destination)' : `round ${r.round}`}${r.stopped ? ' (VM stopped)' : ''}: ${value(r).toLocaleString('en-US')} pages ${key}${why}`;
        });
    bar('sent', (r) => r.pagesSent);
    bar('dirtied', dirtied);
    if (showRatios) {
      groups
        .filter((r) => ratio(r) !== undefined)
        .append('text')
        .attr('class', 'round-ratio')
        .attr('x', x.bandwidth() / 2)
        .attr('y', (r) => Math.min(base, y(Math.max(r.pagesSent, dirtied(r), log ? 1 : 0))) - 4)
        .attr('text-anchor', 'middle')
        .text((r) => `${(ratio(r) ?? 0).toFixed(2)}`);
    }
    if (showLimit) {
      // One segment per live round: the pages that fit in the limit at the bandwidth that round measured.
      const path = verdicts
        .map((v) => {
          const left = (x(String(v.round)) ?? 0) - (x.step() - x.bandwidth()) / 2;
          return `M${left},${y(Math.max(v.thresholdPages, 1))}h${x.step()}`;
        })
        .join('');
      svg.append('path').attr('class', 'threshold-line').attr('d', path).attr('data-testid', 'threshold-line');
      const last = verdicts[verdicts.length - 1];
      const label = svg
        .append('text')
        .attr('class', 'threshold-label')
        .attr('x', width - right + 6)
        .attr('y', y(Math.max(last.thresholdPages, 1)));
      label.append('tspan').attr('dy', '-0.2em').text(`${limitMs} ms`);
      label
        .append('tspan')
        .attr('x', width - right + 6)
        .attr('dy', '1.1em')
        .text('limit');
    }
  }, [rounds, verdicts, limitMs, width, log, showLimit, showRatios, right]);

  return (
    <figure className="chart round-chart" data-highlight="chart:rounds">
      <figcaption>
        <strong>Rounds</strong> <span className="key key-sent">pages sent</span>{' '}
        <span className="key key-dirtied">pages dirtied meanwhile</span>
        {showLimit && (
          <>
            {' '}
            <span className="key key-threshold">downtime limit (pages that fit)</span>
            {showRatios && <span className="key-ratio">1.00 above a round: dirtied / sent</span>}
          </>
        )}
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
        )}{' '}
        <label className="log-toggle">
          <input type="checkbox" checked={log} onChange={(e) => setLog(e.target.checked)} data-testid="round-log" /> log
          scale
        </label>
      </figcaption>
      <div ref={box} className="round-chart-box">
        {rounds.length === 0 ? (
          <p className="muted empty">No pass has finished yet.</p>
        ) : (
          <svg
            ref={ref}
            width={width}
            height={H}
            role="img"
            aria-label="pages sent and dirtied per round"
            data-testid="round-chart"
          />
        )}
      </div>
    </figure>
  );
}
