import { useEffect, useRef } from 'react';
import { ExtentState, type PoolView } from '../../../engine/pool';
import { inspect } from '../../store/workerClient';
import { useDarkMode } from '../../useDarkMode';
import { drawPattern, type Pattern, patternCss, rgbOf, swatchStyle } from '../patterns';
import { useCellCursor } from '../useCellCursor';
import { DISCARD_COLOR, EXTENT_PATTERNS, FREE_COLOR, STALE_COLOR, vmColor } from './colors';

const WIDTH_PX = 640;
const DARK_INK = 'rgb(0 0 0 / 55%)';
const LIGHT_INK = 'rgb(255 255 255 / 80%)';

/** What an extent holds, in words: the hover-free way to tell owners and states apart. */
function extentText(pool: PoolView, e: number): string {
  if (e >= pool.capacity) return `extent ${e}: not yet grown`;
  const owner = pool.owner[e];
  const who = owner >= 0 ? (pool.disks[owner]?.vm ?? `VM ${owner}`) : null;
  const state = pool.state[e];
  if (state === ExtentState.discarding) return `extent ${e}: being discarded`;
  if (state === ExtentState.zeroing) return `extent ${e}: being zeroed for ${who ?? 'a VM'}`;
  if (who) return `extent ${e}: ${who}`;
  return `extent ${e}: free${pool.stale[e] ? ', old bytes still there (unreadable)' : ''}`;
}

/**
 * The pool file, one cell per extent, coloured by owning VM; zeroing hatched, discarding
 * cross-hatched on dark, free with old bytes dotted. One tab stop: arrow keys move, Enter inspects.
 */
export function BlockMap({ pool, entry }: { pool: PoolView; entry: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const dark = useDarkMode();
  const cols = Math.min(64, Math.max(16, Math.ceil(Math.sqrt(pool.maxExtents * 4))));
  const cell = Math.floor(WIDTH_PX / cols);
  const rows = Math.ceil(pool.maxExtents / cols);
  const inspectExtent = (e: number) => {
    if (e >= 0 && e < pool.capacity) inspect({ mechanism: 'pool', item: 'extent', entry, index: e });
  };
  const keyboard = useCellCursor(pool.maxExtents, cols, inspectExtent);
  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const dpr = window.devicePixelRatio || 1;
    canvas.width = cols * cell * dpr;
    canvas.height = rows * cell * dpr;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, cols * cell, rows * cell);
    for (let e = 0; e < pool.maxExtents; e++) {
      const x = (e % cols) * cell;
      const y = Math.floor(e / cols) * cell;
      if (e >= pool.capacity) {
        ctx.strokeStyle = STALE_COLOR;
        ctx.strokeRect(x + 1.5, y + 1.5, cell - 3, cell - 3);
        continue;
      }
      const state = pool.state[e];
      const owner = pool.owner[e];
      ctx.fillStyle =
        state === ExtentState.discarding
          ? DISCARD_COLOR
          : owner >= 0
            ? vmColor(owner)
            : pool.stale[e]
              ? STALE_COLOR
              : FREE_COLOR;
      ctx.fillRect(x + 1, y + 1, cell - 2, cell - 2);
      if (state === ExtentState.zeroing) drawPattern(ctx, EXTENT_PATTERNS.zeroing, x + 1, y + 1, cell - 2, LIGHT_INK);
      else if (state === ExtentState.discarding)
        drawPattern(ctx, EXTENT_PATTERNS.discarding, x + 1, y + 1, cell - 2, LIGHT_INK);
      else if (owner < 0 && pool.stale[e]) drawPattern(ctx, EXTENT_PATTERNS.stale, x + 1, y + 1, cell - 2, DARK_INK);
    }
    if (keyboard.cursor !== null) {
      ctx.strokeStyle = dark ? '#ffffff' : '#000000';
      ctx.lineWidth = 2;
      ctx.strokeRect((keyboard.cursor % cols) * cell, Math.floor(keyboard.cursor / cols) * cell, cell, cell);
    }
  }, [pool, cols, cell, rows, keyboard.cursor, dark]);
  return (
    <div className="pool-blockmap-box" data-highlight="block:extents">
      <canvas
        ref={ref}
        className="pool-blockmap"
        data-testid="pool-blockmap"
        style={{ width: cols * cell, height: rows * cell }}
        onClick={(ev) => {
          const r = ev.currentTarget.getBoundingClientRect();
          inspectExtent(Math.floor((ev.clientY - r.top) / cell) * cols + Math.floor((ev.clientX - r.left) / cell));
        }}
        title="Click an extent to see who owns it and what bytes it holds"
        aria-label="pool file extents: arrow keys move, Enter explains the extent"
        {...keyboard.props}
      />
      <p className="pool-said" aria-live="polite">
        {keyboard.cursor !== null ? extentText(pool, keyboard.cursor) : ''}
      </p>
    </div>
  );
}

const patternCssLight = (p: Pattern) => patternCss(p, LIGHT_INK);

export function BlockMapLegend({ pool }: { pool: PoolView }) {
  return (
    <div className="pool-legend">
      {pool.disks.map((d, i) => (
        <span key={d.vm}>
          <i style={{ background: vmColor(i) }} /> {d.vm}
        </span>
      ))}
      <span>
        <i style={{ background: FREE_COLOR }} /> free
      </span>
      <span>
        <i style={swatchStyle(rgbOf(STALE_COLOR), EXTENT_PATTERNS.stale)} /> free, old bytes still there (unreadable)
      </span>
      <span>
        <i style={{ background: `${patternCssLight(EXTENT_PATTERNS.zeroing)}, ${vmColor(0)}` }} /> being zeroed /
        allocated
      </span>
      <span>
        <i style={swatchStyle(rgbOf(DISCARD_COLOR), EXTENT_PATTERNS.discarding)} /> being discarded
      </span>
      {pool.maxExtents > pool.capacity && (
        <span>
          <i style={{ border: `1px solid ${STALE_COLOR}` }} /> not yet grown
        </span>
      )}
    </div>
  );
}
