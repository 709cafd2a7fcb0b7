import { useEffect, useMemo, useRef, useState } from 'react';
import { PAGE_SIZE } from '../../../engine/hw/guestMemory';
import { useDarkMode } from '../../useDarkMode';
import { palette, STATE_NAMES } from './pageColors';

interface Props {
  title: string;
  subtitle: string;
  states: Uint8Array;
  testId: string;
}

const DISPLAY_PX = 256;

/**
 * One VM's pages, one pixel each in an offscreen image scaled up without smoothing: a
 * 256 MiB VM is a 256 x 256 grid drawn in one putImageData, never thousands of DOM nodes.
 */
export function MemoryGrid({ title, subtitle, states, testId }: Props) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const dark = useDarkMode();
  const cols = useMemo(() => Math.ceil(Math.sqrt(states.length)), [states.length]);
  const rows = Math.ceil(states.length / cols);
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
  }, [states, cols, rows, dark]);

  const onMove = (e: React.MouseEvent<HTMLCanvasElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    const col = Math.floor(((e.clientX - rect.left) / rect.width) * cols);
    const row = Math.floor(((e.clientY - rect.top) / rect.height) * rows);
    const page = row * cols + col;
    if (col < 0 || col >= cols || page < 0 || page >= states.length) setHover(null);
    else setHover({ page, x: e.clientX - rect.left, y: e.clientY - rect.top });
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
          aria-label={`${title}: ${states.length.toLocaleString('en-US')} pages`}
        />
        {hover && (
          <div className="grid-tooltip" style={{ left: hover.x + 12, top: hover.y + 12 }} role="tooltip">
            page {hover.page.toLocaleString('en-US')} · gpa 0x{(hover.page * PAGE_SIZE).toString(16)}
            <br />
            <strong>{STATE_NAMES[states[hover.page]]}</strong>
          </div>
        )}
      </div>
    </figure>
  );
}
