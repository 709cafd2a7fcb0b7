import { useMemo, useRef, useState } from 'react';
import { PAGE_SIZE } from '../../../engine/hw/guestMemory';
import { useDarkMode } from '../../useDarkMode';
import { countStates } from '../../views/grid/gridPainter';
import { useLiveStates } from '../../views/grid/liveStates';
import { gridCanvasStyle, useGridCanvas } from '../../views/grid/useGridCanvas';
import { type Pattern, swatchStyle } from '../patterns';
import { useCellCursor } from '../useCellCursor';
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
  const [hover, setHover] = useState<{ page: number; x: number; y: number } | null>(null);
  // One object per colour scheme: a new one each render would make the grid draw every pixel again.
  const palette = useMemo(() => colors(dark), [colors, dark]);
  const keyboard = useCellCursor(states.length, cols, (page) => onSelect?.(page));
  const cellPx = DISPLAY_PX / cols;
  const shown =
    keyboard.cursor !== null
      ? {
          page: keyboard.cursor,
          x: ((keyboard.cursor % cols) + 0.5) * cellPx,
          y: (Math.floor(keyboard.cursor / cols) + 0.5) * cellPx,
        }
      : hover;

  useGridCanvas(canvasRef, { states, cols, rows, displayPx: DISPLAY_PX, colours: palette });

  const counts = useMemo(() => countStates(shownStates), [shownStates]);

  const onMove = (e: React.MouseEvent<HTMLCanvasElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    const col = Math.floor(((e.clientX - rect.left) / rect.width) * cols);
    const row = Math.floor(((e.clientY - rect.top) / rect.height) * rows);
    const page = row * cols + col;
    if (col < 0 || col >= cols || page < 0 || page >= states.length) setHover(null);
    else setHover({ page, x: e.clientX - rect.left, y: e.clientY - rect.top });
  };

  return (
    <figure className="ck-grid" data-testid={testId}>
      <figcaption>
        <strong>{title}</strong> <span className="muted">{subtitle}</span>
      </figcaption>
      <div className="ck-grid-canvas">
        <canvas
          ref={canvasRef}
          style={gridCanvasStyle(DISPLAY_PX, cols, rows)}
          onMouseMove={onMove}
          onMouseLeave={() => setHover(null)}
          onClick={() => hover && onSelect?.(hover.page)}
          aria-label={`${title}: ${states.length.toLocaleString('en-US')} pages; arrow keys move, Enter explains the page`}
          {...keyboard.props}
        />
        {keyboard.cursor !== null && (
          <div
            className="grid-cursor"
            style={{
              left: (keyboard.cursor % cols) * cellPx - 3,
              top: Math.floor(keyboard.cursor / cols) * cellPx - 3,
              width: cellPx + 6,
              height: cellPx + 6,
            }}
          />
        )}
        {shown && (
          <div
            className="grid-tooltip"
            style={{ left: shown.x + 12, top: shown.y + 12 }}
            role="tooltip"
            aria-live={keyboard.cursor !== null ? 'polite' : undefined}
          >
            page {shown.page.toLocaleString('en-US')} · gpa 0x{(shown.page * PAGE_SIZE).toString(16)}
            <br />
            <strong>{legend.find((l) => l.id === states[shown.page])?.name}</strong>
          </div>
        )}
      </div>
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
