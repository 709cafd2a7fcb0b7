import * as d3 from 'd3';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { PhaseSpan } from '../../../engine/kernel/simulation';
import { fmtInt, formatDuration } from '../../format';
import { useStore } from '../../store/store';
import { seek } from '../../store/workerClient';

const ROW_H = 22;
const M = { top: 6, right: 24, bottom: 22, left: 110 };

function phaseClass(p: PhaseSpan): string {
  if (p.down) return 'phase phase-down';
  if (p.name.startsWith('round')) return `phase phase-round phase-round-${Number(p.name.slice(6)) % 2}`;
  return `phase phase-${p.name.replace(/[^a-z]+/g, '-')}`;
}

/** Label widths by font and text: measuring is a layout read, so each label is measured once, not every frame. */
const labelWidths = new Map<string, number>();

/**
 * Shortens an SVG label with an ellipsis until it fits `room`, or removes it (the bar's <title> names it in full).
 * `fontSize` is read once for all the labels: a style read after each label's edit would recompute the page's style.
 */
function fitLabel(text: SVGTextElement, room: number, fontSize: string): void {
  const full = text.textContent ?? '';
  const key = `${fontSize}|${full}`;
  let width = labelWidths.get(key);
  if (width === undefined) {
    width = text.getComputedTextLength();
    if (labelWidths.size > 2000) labelWidths.clear();
    labelWidths.set(key, width);
  }
  if (width <= room) return;
  const keep = Math.floor((full.length * room) / width) - 1;
  if (keep < 3) text.remove();
  else text.textContent = `${full.slice(0, keep)}…`;
}

/** The run's length in events, once the background run has told it; until then, how far that has got. */
function eventTotal(index: number, maxSeen: number, known: boolean, computing: number | null): string {
  if (known) return fmtInt(maxSeen);
  if (computing !== null) return `measuring… (${fmtInt(computing)} so far)`;
  return maxSeen > index ? `at least ${fmtInt(maxSeen)}` : '?';
}

/** The element's width in CSS pixels (a callback ref: the element appears once a frame has come). */
function useWidth(fallback: number): [(el: HTMLElement | null) => void, number] {
  const [el, setEl] = useState<HTMLElement | null>(null);
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => setWidth(Math.max(320, Math.round(entry.contentRect.width))));
    observer.observe(el);
    return () => observer.disconnect();
  }, [el]);
  return [setEl, width];
}

/** Phases per migration over simulated time, downtime hatched, a cursor at now; a scrubber over events. */
export function Timeline() {
  const frame = useStore((s) => s.frame);
  const maxEvent = useStore((s) => s.totalEvents ?? s.maxEventSeen);
  const totalKnown = useStore((s) => s.totalEvents !== null);
  const shape = useStore((s) => s.shape);
  const ref = useRef<SVGSVGElement>(null);
  const [box, W] = useWidth(900);
  const phases = frame?.phases;
  // The whole run's phases (from the background run) give the rows and the axis from the start.
  const future = shape?.events !== null ? shape?.phases : undefined;
  const subjects = useMemo(
    () => [...new Set([...(future ?? []), ...(phases ?? [])].map((p) => p.subject))],
    [phases, future],
  );
  const height = M.top + M.bottom + Math.max(1, subjects.length) * ROW_H;

  useEffect(() => {
    if (!frame) return;
    const svg = d3.select(ref.current);
    svg.selectAll('*').remove();
    const known = shape && shape.events !== null ? shape.endNs : 0;
    const end = Math.max(known, frame.timeNs, ...frame.phases.map((p) => p.endNs ?? frame.timeNs), 1e6);
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
    // What is still to come, faint, under what has happened.
    svg
      .append('g')
      .attr('class', 'phases-ahead')
      .selectAll('rect')
      .data((future ?? []).filter((p) => (p.endNs ?? end) > frame.timeNs))
      .join('rect')
      .attr('class', (p) => `${phaseClass(p)} phase-ahead`)
      .attr('x', (p) => x(Math.max(p.startNs, frame.timeNs)))
      .attr('width', (p) => Math.max(1, x(p.endNs ?? end) - x(Math.max(p.startNs, frame.timeNs))))
      .attr('y', (p) => y(p.subject) ?? 0)
      .attr('height', y.bandwidth())
      .on('click', (_, p) => seek(p.startIndex))
      .append('title')
      .text((p) => `${p.name}, ahead: from ${formatDuration(p.startNs)} · click to go there`);
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
    let fontSize: string | undefined;
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
        fontSize ??= getComputedStyle(this).fontSize;
        fitLabel(this, x(p.endNs ?? frame.timeNs) - x(p.startNs) - 8, fontSize);
      });
    svg
      .append('line')
      .attr('class', 'now-cursor')
      .attr('x1', x(frame.timeNs))
      .attr('x2', x(frame.timeNs))
      .attr('y1', M.top)
      .attr('y2', height - M.bottom);
  }, [frame, height, subjects, W, shape, future]);

  if (!frame) return null;
  return (
    <section className="panel timeline" aria-label="timeline" ref={box}>
      <svg
        ref={ref}
        width={W}
        height={height}
        viewBox={`0 0 ${W} ${height}`}
        role="img"
        aria-label="phases over time; red is downtime"
      />
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
          {fmtInt(frame.eventIndex)} /{' '}
          {eventTotal(
            frame.eventIndex,
            maxEvent,
            totalKnown,
            shape && shape.events === null ? shape.progressEvents : null,
          )}
        </span>
      </label>
    </section>
  );
}
