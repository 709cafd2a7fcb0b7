import { type RefObject, useEffect, useRef } from 'react';
import { GridPainter, type Rgb } from './gridPainter';

interface GridCanvas {
  states: Uint8Array;
  cols: number;
  rows: number;
  /** Width on screen in CSS pixels; the height follows the grid's shape. */
  displayPx: number;
  colours: Readonly<Record<number, Rgb>>;
  /** Pages in this state are also drawn by `drawMarks`, over the scaled image. */
  markState?: number;
  drawMarks?: (ctx: CanvasRenderingContext2D, marked: ReadonlySet<number>, dpr: number) => void;
}

/**
 * Draw a page grid into a canvas: one pixel a page in an offscreen image (GridPainter, redrawn only
 * where states changed), scaled up without smoothing. `colours` must keep its identity between
 * renders (a new object draws the whole grid again).
 */
export function useGridCanvas(canvasRef: RefObject<HTMLCanvasElement | null>, grid: GridCanvas): void {
  const { states, cols, rows, displayPx, colours, markState } = grid;
  const painter = useRef<GridPainter | null>(null);
  const drawMarks = useRef(grid.drawMarks);
  drawMarks.current = grid.drawMarks;

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const dpr = window.devicePixelRatio || 1;
    const width = Math.round(displayPx * dpr);
    const height = Math.round(((displayPx * rows) / cols) * dpr);
    // Resizing a canvas clears it and costs a reallocation: only when the size really changes.
    const resized = canvas.width !== width || canvas.height !== height;
    if (resized) {
      canvas.width = width;
      canvas.height = height;
    }
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    let p = painter.current;
    const fresh = !p || p.cols !== cols || p.rows !== rows || p.colours !== colours || p.markState !== markState;
    if (!p || fresh) {
      p = new GridPainter(cols, rows, colours, markState);
      painter.current = p;
    }
    if (!p.update(states) && !fresh && !resized) return;
    ctx.imageSmoothingEnabled = false;
    ctx.clearRect(0, 0, width, height);
    ctx.drawImage(p.canvas, 0, 0, width, height);
    if (p.marked.size > 0) drawMarks.current?.(ctx, p.marked, dpr);
  }, [canvasRef, states, cols, rows, displayPx, colours, markState]);
}

/** The canvas's size on screen, in CSS pixels: `displayPx` wide, as tall as the grid's shape makes it. */
export function gridCanvasStyle(displayPx: number, cols: number, rows: number): React.CSSProperties {
  return { width: displayPx, height: (displayPx * rows) / cols };
}
