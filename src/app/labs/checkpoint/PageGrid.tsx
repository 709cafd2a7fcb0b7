import { useMemo, useRef } from 'react';
import { useDarkMode } from '../../useDarkMode';
import { countStates } from '../../views/grid/gridPainter';
import { useLiveStates } from '../../views/grid/liveStates';
import { PageCanvas } from '../../views/grid/PageCanvas';
import { useGridCanvas } from '../../views/grid/useGridCanvas';
import { type Pattern, swatchStyle } from '../patterns';
import type { Rgb } from './colors';

interface Props {
  title: string;
  subtitle: string;
  states: Uint8Array;
  colors: (dark: boolean) => Record<number, Rgb>;
  /** Each state's non-colour cue, in the legend (a page is too small on the canvas for one). */
  patterns: Record<number, Pattern>;
  /** The states the legend lists, with their names and counts. */
  legend: readonly { id: number; name: string; meaning: string }[];
  onSelect?: (page: number) => void;
  testId: string;
}

const DISPLAY_PX = 240;

/** One VM's pages, one pixel each, scaled up without smoothing, with a legend that counts each state. */
export function PageGrid({ title, subtitle, states: shownStates, colors, patterns, legend, onSelect, testId }: Props) {
  // The views' frame is renewed a few times a second while playing; the grid follows every frame.
  const states = useLiveStates(shownStates);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const dark = useDarkMode();
  const cols = useMemo(() => Math.ceil(Math.sqrt(states.length)), [states.length]);
  const rows = Math.ceil(states.length / cols);
  // One object per colour scheme: a new one each render would make the grid draw every pixel again.
  const palette = useMemo(() => colors(dark), [colors, dark]);
  useGridCanvas(canvasRef, { states, cols, rows, displayPx: DISPLAY_PX, colours: palette });
  const counts = useMemo(() => countStates(shownStates), [shownStates]);

  return (
    <figure className="ck-grid" data-testid={testId}>
      <figcaption>
        <strong>{title}</strong> <span className="muted">{subtitle}</span>
      </figcaption>
      <PageCanvas
        className="ck-grid-canvas"
        canvasRef={canvasRef}
        title={title}
        pageCount={states.length}
        cols={cols}
        rows={rows}
        displayPx={DISPLAY_PX}
        nameOf={(page) => legend.find((l) => l.id === states[page])?.name}
        onSelect={onSelect}
      />
      <ul className="ck-legend" aria-label={`${title}: legend`}>
        {legend.map((l) => (
          <li key={l.id} title={l.meaning}>
            <span className="ck-swatch" style={swatchStyle(palette[l.id], patterns[l.id] ?? 'solid')} />
            {l.name} <span className="muted">{counts[l.id].toLocaleString('en-US')}</span>
          </li>
        ))}
      </ul>
    </figure>
  );
}
