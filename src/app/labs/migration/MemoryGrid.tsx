import { useMemo, useRef, useState } from 'react';
import { PAGE_SIZE } from '../../../engine/hw/guestMemory';
import { PageState, type PageStateId } from '../../../engine/migration/pageStates';
import { useDarkMode } from '../../useDarkMode';
import { useLiveStates } from '../../views/grid/liveStates';
import { gridCanvasStyle, useGridCanvas } from '../../views/grid/useGridCanvas';
import { useCellCursor } from '../useCellCursor';
import { Legend } from './Legend';
import { cssColor, palette, STATE_INFO } from './pageColors';

interface Props {
  title: string;
  subtitle: string;
  states: Uint8Array;
  /** The states this grid can show: its legend lists them with their counts. */
  legendStates: PageStateId[];
  /** A click on a page: the details panel explains it. */
  onSelect?: (page: number) => void;
  testId: string;
}

const DISPLAY_PX = 256;
/** Faulted-in pages are few and scattered: each gets a square at least this many CSS pixels wide. */
const MARKER_MIN_PX = 3;

/**
 * One VM's pages, one pixel each in an offscreen image scaled up without smoothing: a
 * 256 MiB VM is a 256 x 256 grid, never thousands of DOM nodes.
 */
export function MemoryGrid({ title, subtitle, states: shownStates, legendStates, onSelect, testId }: Props) {
  // The views' frame is renewed a few times a second while playing; the grid follows every frame.
  const states = useLiveStates(shownStates);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const dark = useDarkMode();
  const cols = useMemo(() => Math.ceil(Math.sqrt(states.length)), [states.length]);
  const rows = Math.ceil(states.length / cols);
  const pageCount = useMemo(() => states.length.toLocaleString('en-US'), [states.length]);
  const cellPx = DISPLAY_PX / cols;
  const markerPx = Math.max(MARKER_MIN_PX, 2 * cellPx);
  const [hover, setHover] = useState<{ page: number; x: number; y: number } | null>(null);
  const keyboard = useCellCursor(states.length, cols, (page) => onSelect?.(page));
  const atCursor = (page: number) => ({
    page,
    x: ((page % cols) + 0.5) * cellPx,
    y: (Math.floor(page / cols) + 0.5) * cellPx,
  });
  const shown = keyboard.cursor !== null ? atCursor(keyboard.cursor) : hover;

  const colours = palette(dark);
  useGridCanvas(canvasRef, {
    states,
    cols,
    rows,
    displayPx: DISPLAY_PX,
    colours,
    markState: PageState.FaultedIn,
    drawMarks: (ctx, faulted, dpr) => {
      ctx.fillStyle = cssColor(colours[PageState.FaultedIn]);
      const cell = cellPx * dpr;
      const size = Math.round(markerPx * dpr);
      const corner = (i: number) => [
        Math.round(((i % cols) + 0.5) * cell - size / 2),
        Math.round((Math.floor(i / cols) + 0.5) * cell - size / 2),
      ];
      for (const i of faulted) {
        const [x, y] = corner(i);
        ctx.fillRect(x, y, size, size);
      }
      // An outline makes the markers a shape, not only a colour.
      ctx.strokeStyle = dark ? '#ffffff' : '#000000';
      const line = Math.max(1, Math.round(dpr));
      ctx.lineWidth = line;
      for (const i of faulted) {
        const [x, y] = corner(i);
        ctx.strokeRect(x - line / 2, y - line / 2, size + line, size + line);
      }
    },
  });

  /** The page under the pointer; a faulted-in page's marker covers its neighbours, so there it names that page. */
  const pageAt = (col: number, row: number): number => {
    const page = row * cols + col;
    if (states[page] === PageState.FaultedIn) return page;
    const reach = Math.ceil((markerPx / cellPx - 1) / 2);
    for (let r = row - reach; r <= row + reach; r++) {
      for (let c = col - reach; c <= col + reach; c++) {
        const near = r * cols + c;
        if (r >= 0 && c >= 0 && c < cols && near < states.length && states[near] === PageState.FaultedIn) return near;
      }
    }
    return page;
  };

  const onMove = (e: React.MouseEvent<HTMLCanvasElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    const col = Math.floor(((e.clientX - rect.left) / rect.width) * cols);
    const row = Math.floor(((e.clientY - rect.top) / rect.height) * rows);
    const page = row * cols + col;
    if (col < 0 || col >= cols || page < 0 || page >= states.length) setHover(null);
    else setHover({ page: pageAt(col, row), x: e.clientX - rect.left, y: e.clientY - rect.top });
  };

  return (
    <figure className="memory-grid" data-testid={testId}>
      <figcaption>
        <strong>{title}</strong> <span className="muted">{subtitle}</span>
      </figcaption>
      <div className="memory-grid-canvas">
        <canvas
          ref={canvasRef}
          style={gridCanvasStyle(DISPLAY_PX, cols, rows)}
          onMouseMove={onMove}
          onMouseLeave={() => setHover(null)}
          onClick={() => hover && onSelect?.(hover.page)}
          aria-label={`${title}: ${pageCount} pages; arrow keys move, Enter explains the page`}
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
            <strong>{STATE_INFO[states[shown.page]]?.name}</strong>
          </div>
        )}
      </div>
      <Legend states={shownStates} shown={legendStates} label={`${title}: page states`} />
    </figure>
  );
}
