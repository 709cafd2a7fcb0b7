import { type RefObject, useState } from 'react';
import { PAGE_SIZE } from '../../../engine/hw/guestMemory';
import { useCellCursor } from '../../labs/useCellCursor';
import { gridCanvasStyle } from './useGridCanvas';

/** A page shown in the tooltip: under the pointer, or at the keyboard's cursor. */
interface Shown {
  page: number;
  x: number;
  y: number;
}

interface Props {
  canvasRef: RefObject<HTMLCanvasElement | null>;
  title: string;
  pageCount: number;
  cols: number;
  rows: number;
  displayPx: number;
  /** The state's name the tooltip gives for a page. */
  nameOf: (page: number) => string | undefined;
  /** The page a pointer over (col, row) names (a marker drawn over neighbours may name its own page). */
  pageAt?: (col: number, row: number) => number;
  onSelect?: (page: number) => void;
  className: string;
}

/**
 * A page grid's canvas (drawn by useGridCanvas) with what every grid does around it: the page
 * under the pointer or the keyboard's cursor named in a tooltip, arrow keys and Enter, a click
 * selects.
 */
export function PageCanvas({
  canvasRef,
  title,
  pageCount,
  cols,
  rows,
  displayPx,
  nameOf,
  pageAt,
  onSelect,
  className,
}: Props) {
  const [hover, setHover] = useState<Shown | null>(null);
  const keyboard = useCellCursor(pageCount, cols, (page) => onSelect?.(page));
  const cellPx = displayPx / cols;
  const shown: Shown | null =
    keyboard.cursor !== null
      ? {
          page: keyboard.cursor,
          x: ((keyboard.cursor % cols) + 0.5) * cellPx,
          y: (Math.floor(keyboard.cursor / cols) + 0.5) * cellPx,
        }
      : hover;

  const onMove = (e: React.MouseEvent<HTMLCanvasElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    const col = Math.floor(((e.clientX - rect.left) / rect.width) * cols);
    const row = Math.floor(((e.clientY - rect.top) / rect.height) * rows);
    const page = row * cols + col;
    if (col < 0 || col >= cols || page < 0 || page >= pageCount) setHover(null);
    else setHover({ page: pageAt ? pageAt(col, row) : page, x: e.clientX - rect.left, y: e.clientY - rect.top });
  };

  return (
    <div className={className}>
      <canvas
        ref={canvasRef}
        style={gridCanvasStyle(displayPx, cols, rows)}
        onMouseMove={onMove}
        onMouseLeave={() => setHover(null)}
        onClick={() => hover && onSelect?.(hover.page)}
        aria-label={`${title}: ${pageCount.toLocaleString('en-US')} pages; arrow keys move, Enter explains the page`}
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
          <strong>{nameOf(shown.page)}</strong>
        </div>
      )}
    </div>
  );
}
