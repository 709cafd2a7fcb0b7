import { useEffect, useMemo, useRef, useState } from 'react';
import { PAGE_SIZE } from '../../../engine/hw/guestMemory';
import { PageState, type PageStateId } from '../../../engine/migration/pageStates';
import { useDarkMode } from '../../useDarkMode';
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
 * 256 MiB VM is a 256 x 256 grid drawn in one putImageData, never thousands of DOM nodes.
 */
export function MemoryGrid({ title, subtitle, states, legendStates, onSelect, testId }: Props) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const dark = useDarkMode();
  const cols = useMemo(() => Math.ceil(Math.sqrt(states.length)), [states.length]);
  const rows = Math.ceil(states.length / cols);
  const cellPx = DISPLAY_PX / cols;
  const markerPx = Math.max(MARKER_MIN_PX, 2 * cellPx);
  const [hover, setHover] = useState<{ page: number; x: number; y: number } | null>(null);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(DISPLAY_PX * dpr);
    canvas.height = Math.round(((DISPLAY_PX * rows) / cols) * dpr);
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    const image = new ImageData(cols, rows);
    const px = new Uint32Array(image.data.buffer);
    const colours = palette(dark);
    const lut = new Uint32Array(16);
    for (const [id, [r, g, b]] of Object.entries(colours)) lut[Number(id)] = (255 << 24) | (b << 16) | (g << 8) | r;
    for (let i = 0; i < states.length; i++) px[i] = lut[states[i]];
    const off = new OffscreenCanvas(cols, rows);
    off.getContext('2d')?.putImageData(image, 0, 0);
    ctx.imageSmoothingEnabled = false;
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(off, 0, 0, canvas.width, canvas.height);

    ctx.fillStyle = cssColor(colours[PageState.FaultedIn]);
    const cell = cellPx * dpr;
    const size = Math.round(markerPx * dpr);
    for (let i = 0; i < states.length; i++) {
      if (states[i] !== PageState.FaultedIn) continue;
      const x = Math.round(((i % cols) + 0.5) * cell - size / 2);
      const y = Math.round((Math.floor(i / cols) + 0.5) * cell - size / 2);
      ctx.fillRect(x, y, size, size);
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
          aria-label={`${title}: ${states.length.toLocaleString('en-US')} pages`}
        />
        {hover && (
          <div className="grid-tooltip" style={{ left: hover.x + 12, top: hover.y + 12 }} role="tooltip">
            page {hover.page.toLocaleString('en-US')} · gpa 0x{(hover.page * PAGE_SIZE).toString(16)}
            <br />
            <strong>{STATE_INFO[states[hover.page]]?.name}</strong>
          </div>
        )}
      </div>
      <Legend states={states} shown={legendStates} label={`${title}: page states`} />
    </figure>
  );
}
