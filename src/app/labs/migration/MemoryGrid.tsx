import { useEffect, useMemo, useRef, useState } from 'react';
import { PAGE_SIZE } from '../../../engine/hw/guestMemory';
import { PageState, type PageStateId } from '../../../engine/migration/pageStates';
import { useDarkMode } from '../../useDarkMode';
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
 * The grid's image, one pixel a page, kept between frames: a frame rewrites only the pixels
 * whose state changed since the last one and uploads only the rows they span, so a 1 GiB VM
 * (512 x 512 pages) costs a compare of its states, not a repaint of a quarter million pixels.
 */
class GridPainter {
  readonly canvas: OffscreenCanvas;
  /** Pages drawn as faulted in, for their markers (few, scattered). */
  readonly faulted = new Set<number>();
  private readonly image: ImageData;
  private readonly px: Uint32Array;
  private readonly ctx: OffscreenCanvasRenderingContext2D | null;
  private readonly lut = new Uint32Array(256);
  /** The states drawn; 255 (no state) at first, so the first frame draws every pixel. */
  private drawn: Uint8Array;

  constructor(
    readonly cols: number,
    readonly rows: number,
    readonly dark: boolean,
  ) {
    this.canvas = new OffscreenCanvas(cols, rows);
    this.ctx = this.canvas.getContext('2d');
    this.image = new ImageData(cols, rows);
    this.px = new Uint32Array(this.image.data.buffer);
    this.drawn = new Uint8Array(cols * rows).fill(255);
    for (const [id, [r, g, b]] of Object.entries(palette(dark))) {
      this.lut[Number(id)] = (255 << 24) | (b << 16) | (g << 8) | r;
    }
  }

  update(states: Uint8Array): void {
    const { drawn, px, lut, faulted } = this;
    const n = Math.min(states.length, drawn.length);
    let first = -1;
    let last = -1;
    // Compare four states at a time where both arrays allow it; most of a frame is unchanged.
    const aligned = (states.byteOffset & 3) === 0 && (n & 3) === 0;
    const a = aligned ? new Uint32Array(states.buffer, states.byteOffset, n >> 2) : null;
    const b = aligned ? new Uint32Array(drawn.buffer, 0, n >> 2) : null;
    for (let w = 0; w < n; ) {
      if (a && b && (w & 3) === 0 && a[w >> 2] === b[w >> 2]) {
        w += 4;
        continue;
      }
      const s = states[w];
      if (s !== drawn[w]) {
        if (drawn[w] === PageState.FaultedIn) faulted.delete(w);
        if (s === PageState.FaultedIn) faulted.add(w);
        drawn[w] = s;
        px[w] = lut[s];
        if (first < 0) first = w;
        last = w;
      }
      w++;
    }
    if (first < 0 || !this.ctx) return;
    const top = Math.floor(first / this.cols);
    const bottom = Math.floor(last / this.cols);
    this.ctx.putImageData(this.image, 0, 0, 0, top, this.cols, bottom - top + 1);
  }
}

/**
 * One VM's pages, one pixel each in an offscreen image scaled up without smoothing: a
 * 256 MiB VM is a 256 x 256 grid, never thousands of DOM nodes.
 */
export function MemoryGrid({ title, subtitle, states, legendStates, onSelect, testId }: Props) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const dark = useDarkMode();
  const cols = useMemo(() => Math.ceil(Math.sqrt(states.length)), [states.length]);
  const rows = Math.ceil(states.length / cols);
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

  const painter = useRef<GridPainter | null>(null);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const dpr = window.devicePixelRatio || 1;
    const width = Math.round(DISPLAY_PX * dpr);
    const height = Math.round(((DISPLAY_PX * rows) / cols) * dpr);
    // Resizing a canvas clears it and costs a reallocation: only when the size really changes.
    if (canvas.width !== width || canvas.height !== height) {
      canvas.width = width;
      canvas.height = height;
    }
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    let p = painter.current;
    if (!p || p.cols !== cols || p.rows !== rows || p.dark !== dark) {
      p = new GridPainter(cols, rows, dark);
      painter.current = p;
    }
    p.update(states);
    ctx.imageSmoothingEnabled = false;
    ctx.clearRect(0, 0, width, height);
    ctx.drawImage(p.canvas, 0, 0, width, height);

    if (p.faulted.size === 0) return;
    ctx.fillStyle = cssColor(palette(dark)[PageState.FaultedIn]);
    const cell = cellPx * dpr;
    const size = Math.round(markerPx * dpr);
    for (const i of p.faulted) {
      const x = Math.round(((i % cols) + 0.5) * cell - size / 2);
      const y = Math.round((Math.floor(i / cols) + 0.5) * cell - size / 2);
      ctx.fillRect(x, y, size, size);
    }
    // An outline makes the markers a shape, not only a colour.
    ctx.strokeStyle = dark ? '#ffffff' : '#000000';
    ctx.lineWidth = Math.max(1, Math.round(dpr));
    for (const i of p.faulted) {
      const x = Math.round(((i % cols) + 0.5) * cell - size / 2);
      const y = Math.round((Math.floor(i / cols) + 0.5) * cell - size / 2);
      ctx.strokeRect(x - ctx.lineWidth / 2, y - ctx.lineWidth / 2, size + ctx.lineWidth, size + ctx.lineWidth);
    }
  }, [states, cols, rows, cellPx, markerPx, dark]);

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
          style={{ width: DISPLAY_PX, height: (DISPLAY_PX * rows) / cols }}
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
            <strong>{STATE_INFO[states[shown.page]]?.name}</strong>
          </div>
        )}
      </div>
      <Legend states={states} shown={legendStates} label={`${title}: page states`} />
    </figure>
  );
}
