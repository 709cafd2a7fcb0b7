export type Rgb = readonly [number, number, number];

/** Rows uploaded together: a frame uploads only the bands its changed pages fall in. */
const BAND_ROWS = 16;
/** No state: the first update draws every pixel. */
const UNDRAWN = 255;

/**
 * A grid's image, one pixel a page, kept between frames: an update rewrites only the pixels whose
 * state changed since the last one and uploads only the bands of rows they fall in, so a 1 GiB VM
 * (512 x 512 pages) costs a compare of its states, not a repaint of a quarter million pixels.
 */
export class GridPainter {
  readonly canvas: OffscreenCanvas;
  /** Pages drawn in `markState` (few, scattered: drawn again as markers over the image). */
  readonly marked = new Set<number>();
  private readonly image: ImageData;
  private readonly px: Uint32Array;
  private readonly ctx: OffscreenCanvasRenderingContext2D | null;
  private readonly lut = new Uint32Array(256);
  private readonly drawn: Uint8Array;
  private readonly dirtyBands: Uint8Array;

  constructor(
    readonly cols: number,
    readonly rows: number,
    readonly colours: Readonly<Record<number, Rgb>>,
    readonly markState = -1,
  ) {
    this.canvas = new OffscreenCanvas(cols, rows);
    this.ctx = this.canvas.getContext('2d');
    this.image = new ImageData(cols, rows);
    this.px = new Uint32Array(this.image.data.buffer);
    // A multiple of four bytes, so states can be compared a 32-bit word at a time.
    this.drawn = new Uint8Array((cols * rows + 3) & ~3).fill(UNDRAWN);
    this.dirtyBands = new Uint8Array(Math.ceil(rows / BAND_ROWS));
    for (const [id, [r, g, b]] of Object.entries(colours)) {
      this.lut[Number(id)] = (255 << 24) | (b << 16) | (g << 8) | r;
    }
  }

  /** Draw `states` (one a page); returns whether any pixel changed. */
  update(states: Uint8Array): boolean {
    const n = Math.min(states.length, this.cols * this.rows);
    let changed = false;
    const words = (states.byteOffset & 3) === 0 ? n >> 2 : 0;
    if (words > 0) {
      const now = new Uint32Array(states.buffer, states.byteOffset, words);
      const was = new Uint32Array(this.drawn.buffer, 0, words);
      // Most of a frame is unchanged: only a word that differs is looked at page by page.
      for (let w = 0; w < words; w++) {
        if (now[w] !== was[w]) changed = this.redraw(states, w << 2, (w << 2) + 4) || changed;
      }
    }
    if (words << 2 < n) changed = this.redraw(states, words << 2, n) || changed;
    if (changed) this.upload();
    return changed;
  }

  private redraw(states: Uint8Array, from: number, to: number): boolean {
    const { drawn, px, lut, marked, markState, dirtyBands } = this;
    const bandPages = this.cols * BAND_ROWS;
    let changed = false;
    for (let i = from; i < to; i++) {
      const s = states[i];
      const was = drawn[i];
      if (s === was) continue;
      if (was === markState) marked.delete(i);
      if (s === markState) marked.add(i);
      drawn[i] = s;
      px[i] = lut[s];
      dirtyBands[Math.floor(i / bandPages)] = 1;
      changed = true;
    }
    return changed;
  }

  /** putImageData of each run of changed bands: its cost follows the rows it uploads. */
  private upload(): void {
    const { dirtyBands, ctx, cols, rows } = this;
    for (let band = 0; band < dirtyBands.length; band++) {
      if (!dirtyBands[band]) continue;
      let end = band;
      while (end + 1 < dirtyBands.length && dirtyBands[end + 1]) end++;
      const top = band * BAND_ROWS;
      ctx?.putImageData(this.image, 0, 0, 0, top, cols, Math.min(rows, (end + 1) * BAND_ROWS) - top);
      dirtyBands.fill(0, band, end + 1);
      band = end;
    }
  }
}

/**
 * How many pages are in each state (indexed by state id). Four states a 32-bit word, and a run of
 * equal words (a region all clean, all queued: most of a grid) is counted once.
 */
export function countStates(states: Uint8Array): Uint32Array {
  const counts = new Uint32Array(256);
  const words = (states.byteOffset & 3) === 0 ? states.length >> 2 : 0;
  const packed = words > 0 ? new Uint32Array(states.buffer, states.byteOffset, words) : new Uint32Array(0);
  const add = (word: number, times: number) => {
    counts[word & 255] += times;
    counts[(word >>> 8) & 255] += times;
    counts[(word >>> 16) & 255] += times;
    counts[word >>> 24] += times;
  };
  let last = 0;
  let run = 0;
  for (let w = 0; w < words; w++) {
    const word = packed[w];
    if (word === last && run > 0) {
      run++;
      continue;
    }
    if (run > 0) add(last, run);
    last = word;
    run = 1;
  }
  if (run > 0) add(last, run);
  for (let i = words << 2; i < states.length; i++) counts[states[i]]++;
  return counts;
}
