import { useMemo, useRef } from 'react';
import { PageState, type PageStateId } from '../../../engine/migration/pageStates';
import { useDarkMode } from '../../useDarkMode';
import { useLiveStates } from '../../views/grid/liveStates';
import { PageCanvas } from '../../views/grid/PageCanvas';
import { useGridCanvas } from '../../views/grid/useGridCanvas';
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
  const cellPx = DISPLAY_PX / cols;
  const markerPx = Math.max(MARKER_MIN_PX, 2 * cellPx);

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

  return (
    <figure className="memory-grid" data-testid={testId}>
      <figcaption>
        <strong>{title}</strong> <span className="muted">{subtitle}</span>
      </figcaption>
      <PageCanvas
        className="memory-grid-canvas"
        canvasRef={canvasRef}
        title={title}
        pageCount={states.length}
        cols={cols}
        rows={rows}
        displayPx={DISPLAY_PX}
        nameOf={(page) => STATE_INFO[states[page]]?.name}
        pageAt={pageAt}
        onSelect={onSelect}
      />
      <Legend states={shownStates} shown={legendStates} label={`${title}: page states`} />
    </figure>
  );
}
