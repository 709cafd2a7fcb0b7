import { beforeAll, describe, expect, it } from 'vitest';
import { countStates, GridPainter, type Rgb } from './gridPainter';

/** What reached the canvas: every putImageData's rows, and the image it copied from. */
const uploads: { image: { data: Uint8ClampedArray }; top: number; height: number }[] = [];

beforeAll(() => {
  // Node has no canvas: an image is its bytes, and the canvas records what was uploaded from it.
  globalThis.ImageData = class {
    data: Uint8ClampedArray;
    constructor(width: number, height: number) {
      this.data = new Uint8ClampedArray(width * height * 4);
    }
  } as unknown as typeof ImageData;
  globalThis.OffscreenCanvas = class {
    getContext() {
      return {
        putImageData: (
          image: { data: Uint8ClampedArray },
          _x: number,
          _y: number,
          _dx: number,
          top: number,
          _w: number,
          height: number,
        ) => uploads.push({ image, top, height }),
      };
    }
  } as unknown as typeof OffscreenCanvas;
});

const COLOURS: Record<number, Rgb> = { 0: [10, 20, 30], 1: [200, 0, 0], 2: [0, 200, 0], 3: [0, 0, 200] };

function pixel(data: Uint8ClampedArray, i: number): number[] {
  return [data[4 * i], data[4 * i + 1], data[4 * i + 2], data[4 * i + 3]];
}

describe('GridPainter', () => {
  it('keeps every pixel the colour of its page, and uploads every row whose pages changed', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed >>> 8;
    };
    // 100 x 100 pages: not a multiple of the band height, and an odd tail at a misaligned offset below.
    const cols = 100;
    const rows = 100;
    const painter = new GridPainter(cols, rows, COLOURS, 3);
    let states = new Uint8Array(cols * rows);
    for (let frame = 0; frame < 40; frame++) {
      const before = states.slice();
      // A fresh array each frame, as the worker sends; sometimes a view at an odd byte offset.
      const backing = new Uint8Array(states.length + 1);
      const offset = frame % 3 === 0 ? 1 : 0;
      states = backing.subarray(offset, offset + before.length);
      states.set(before);
      const changes = frame === 0 ? 0 : random() % 300;
      for (let c = 0; c < changes; c++) states[random() % states.length] = random() % 4;
      uploads.length = 0;
      const changed = painter.update(states);
      const changedRows = new Set<number>();
      for (let i = 0; i < states.length; i++)
        if (frame === 0 || states[i] !== before[i]) changedRows.add(Math.floor(i / cols));
      expect(changed).toBe(changedRows.size > 0);
      const missed = [...changedRows].filter((row) => !uploads.some((u) => u.top <= row && row < u.top + u.height));
      expect(missed).toEqual([]);
      const image = uploads[0]?.image.data;
      if (!image) continue;
      const wrong = [...states.keys()].filter((i) => pixel(image, i).join() !== [...COLOURS[states[i]], 255].join());
      expect(wrong).toEqual([]);
      const marked = [...painter.marked].sort((a, b) => a - b);
      expect(marked).toEqual([...states.keys()].filter((i) => states[i] === 3));
    }
  });
});

describe('countStates', () => {
  it('counts every state as a page-by-page count does, in runs, mixed regions and at odd offsets', () => {
    const backing = new Uint8Array(4099);
    for (let i = 0; i < backing.length; i++) backing[i] = i < 2000 ? 3 : i < 3000 ? (i * 7919) % 11 : 250;
    for (const offset of [0, 1, 2, 3, 4]) {
      for (const length of [0, 1, 5, 4095 - offset]) {
        const states = backing.subarray(offset, offset + length);
        const expected = new Uint32Array(256);
        for (const s of states) expected[s]++;
        expect(countStates(states)).toEqual(expected);
      }
    }
  });
});
