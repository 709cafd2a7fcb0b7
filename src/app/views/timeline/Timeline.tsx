import * as d3 from 'd3';
import { useEffect, useMemo, useRef } from 'react';
import type { PhaseSpan } from '../../../engine/kernel/simulation';
import { fmtInt, formatDuration } from '../../format';
import { useStore } from '../../store/store';
import { seek } from '../../store/workerClient';

const W = 900;
const ROW_H = 22;
const M = { top: 6, right: 24, bottom: 22, left: 110 };

function phaseClass(p: PhaseSpan): string {
  if (p.down) return 'phase phase-down';
  if (p.name.startsWith('round')) return `phase phase-round phase-round-${Number(p.name.slice(6)) % 2}`;
  return `phase phase-${p.name.replace(/[^a-z]+/g, '-')}`;
}

/** Shortens an SVG label with an ellipsis until it fits `room`, or removes it (the bar's <title> names it in full). */
function fitLabel(text: SVGTextElement, room: number): void {
  const full = text.textContent ?? '';
  const width = text.getComputedTextLength(); // one layout read per label per frame, not one per character
  if (width <= room) return;
  const keep = Math.floor((full.length * room) / width) - 1;
  if (keep < 3) text.remove();
  else text.textContent = `${full.slice(0, keep)}…`;
}

/** The run's length in events is known only once it has finished; until then, say how far it has been seen. */
function eventTotal(index: number, maxSeen: number, known: boolean): string {
  if (known) return fmtInt(maxSeen);
  return maxSeen > index ? `at least ${fmtInt(maxSeen)}` : '?';
}

/** Phases per migration over simulated time, downtime hatched, a cursor at now; a scrubber over events. */
export function Timeline() {
  const frame = useStore((s) => s.frame);
  const maxEvent = useStore((s) => s.totalEvents ?? s.maxEventSeen);
  const totalKnown = useStore((s) => s.totalEvents !== null);
  const ref = useRef<SVGSVGElement>(null);
  const phases = frame?.phases;
  const subjects = useMemo(() => [...new Set((phases ?? []).map((p) => p.subject))], [phases]);
  const height = M.top + M.bottom + Math.max(1, subjects.length) * ROW_H;

  useEffect(() => {
    if (!frame) return;
    const svg = d3.select(ref.current);
    svg.selectAll('*').remove();
    const end = Math.max(frame.timeNs, ...frame.phases.map((p) => p.endNs ?? frame.timeNs), 1e6);
    const x = d3
      .scaleLinear()
      .domain([0, end])
      .range([M.left, W - M.right]);
    const y = d3
      .scaleBand<string>()
      .domain(subjects)
      .range([M.top, height - M.bottom])
      .padding(0.15);
    svg
      .append('g')
      .attr('transform', `translate(0,${height - M.bottom})`)
      .call(
        d3
          .axisBottom(x)
          .ticks(8)
          .tickFormat((v) => formatDuration(Number(v))),
      );
    svg
      .append('g')
      .selectAll('text')
      .data(subjects)
      .join('text')
      .attr('class', 'subject-label')
      .attr('x', 4)
      .attr('y', (s) => (y(s) ?? 0) + y.bandwidth() / 2 + 4)
      .text((s) => s.replace('migration:', 'migrate '));
    svg
      .append('g')
      .selectAll('rect')
      .data(frame.phases)
      .join('rect')
      .attr('class', phaseClass)
      .attr('x', (p) => x(p.startNs))
      .attr('width', (p) => Math.max(1, x(p.endNs ?? frame.timeNs) - x(p.startNs)))
      .attr('y', (p) => y(p.subject) ?? 0)
      .attr('height', y.bandwidth())
      .on('click', (_, p) => seek(p.startIndex))
      .append('title')
      .text(
        (p) =>
          `${p.name}${p.down ? ' (VM down)' : ''}: ${formatDuration(p.startNs)} → ${p.endNs !== undefined ? formatDuration(p.endNs) : 'now'} · click to go to its start`,
      );
    svg
      .append('g')
      .selectAll<SVGTextElement, PhaseSpan>('text')
      .data(frame.phases)
      .join('text')
      .attr('class', 'phase-label')
      .attr('x', (p) => x(p.startNs) + 4)
      .attr('y', (p) => (y(p.subject) ?? 0) + y.bandwidth() / 2 + 4)
      .text((p) => p.name)
      .each(function (p) {
        fitLabel(this, x(p.endNs ?? frame.timeNs) - x(p.startNs) - 8);
      });
    svg
      .append('line')
      .attr('class', 'now-cursor')
      .attr('x1', x(frame.timeNs))
      .attr('x2', x(frame.timeNs))
      .attr('y1', M.top)
      .attr('y2', height - M.bottom);
  }, [frame, height, subjects]);

  if (!frame) return null;
  return (
    <section className="panel timeline" aria-label="timeline">
      <svg ref={ref} viewBox={`0 0 ${W} ${height}`} role="img" aria-label="phases over time; red is downtime" />
      <label className="scrubber">
        <span>event</span>
        <input
          type="range"
          min={0}
          max={Math.max(1, maxEvent)}
          value={frame.eventIndex}
          onChange={(e) => seek(Number(e.target.value))}
          aria-label="scrub to event"
          data-testid="scrubber"
        />
        <span className="muted" title="the total number of events is known once the run has reached its end">
          {fmtInt(frame.eventIndex)} / {eventTotal(frame.eventIndex, maxEvent, totalKnown)}
        </span>
      </label>
    </section>
  );
}
