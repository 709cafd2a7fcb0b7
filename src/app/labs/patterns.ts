/**
 * Marks that tell states apart without colour (WCAG 1.4.1): each lab gives each state that
 * matters a pattern, drawn in its legend swatch and, where cells are big enough, on the cell.
 */
export type Pattern = 'solid' | 'hatch' | 'backhatch' | 'cross' | 'dots' | 'hstripes' | 'vstripes' | 'ring';

/** The pattern's ink over the state's colour: dark on light fills, light on dark ones. */
/** '#rrggbb' as [r, g, b]. */
export const rgbOf = (hex: string): [number, number, number] =>
  [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];

export function inkFor([r, g, b]: readonly number[]): string {
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return luminance > 140 ? 'rgb(0 0 0 / 55%)' : 'rgb(255 255 255 / 70%)';
}

/** The pattern as CSS background layers, for a legend swatch of about 14 px (put the colour after it). */
export function patternCss(pattern: Pattern, ink: string): string {
  switch (pattern) {
    case 'solid':
      return 'none';
    case 'hatch':
      return `repeating-linear-gradient(45deg, ${ink} 0 1.5px, transparent 1.5px 4.5px)`;
    case 'backhatch':
      return `repeating-linear-gradient(-45deg, ${ink} 0 1.5px, transparent 1.5px 4.5px)`;
    case 'cross':
      return `repeating-linear-gradient(45deg, ${ink} 0 1px, transparent 1px 5px), repeating-linear-gradient(-45deg, ${ink} 0 1px, transparent 1px 5px)`;
    case 'dots':
      return `radial-gradient(circle, ${ink} 1.3px, transparent 1.6px) 0 0 / 5px 5px`;
    case 'hstripes':
      return `repeating-linear-gradient(0deg, ${ink} 0 1.5px, transparent 1.5px 4.5px)`;
    case 'vstripes':
      return `repeating-linear-gradient(90deg, ${ink} 0 1.5px, transparent 1.5px 4.5px)`;
    case 'ring':
      return `radial-gradient(circle, transparent 2.5px, ${ink} 3px, ${ink} 4.5px, transparent 5px)`;
  }
}

/** A legend swatch's style: the pattern over the colour. */
export function swatchStyle(rgb: readonly number[], pattern: Pattern): React.CSSProperties {
  const fill = `rgb(${rgb[0]} ${rgb[1]} ${rgb[2]})`;
  return pattern === 'solid' ? { background: fill } : { background: `${patternCss(pattern, inkFor(rgb))}, ${fill}` };
}

/** The pattern over a filled cell of a canvas (cells of 6 CSS px and up; smaller ones keep the plain colour). */
export function drawPattern(
  ctx: CanvasRenderingContext2D,
  pattern: Pattern,
  x: number,
  y: number,
  size: number,
  ink: string,
): void {
  if (pattern === 'solid' || size < 6) return;
  ctx.save();
  ctx.beginPath();
  ctx.rect(x, y, size, size);
  ctx.clip();
  ctx.strokeStyle = ink;
  ctx.fillStyle = ink;
  ctx.lineWidth = 1.2;
  const step = Math.max(3, size / 3);
  ctx.beginPath();
  if (pattern === 'hatch' || pattern === 'cross')
    for (let d = -size; d < size; d += step) {
      ctx.moveTo(x + d, y + size);
      ctx.lineTo(x + d + size, y);
    }
  if (pattern === 'backhatch' || pattern === 'cross')
    for (let d = -size; d < size; d += step) {
      ctx.moveTo(x + d, y);
      ctx.lineTo(x + d + size, y + size);
    }
  if (pattern === 'hstripes')
    for (let d = step / 2; d < size; d += step) {
      ctx.moveTo(x, y + d);
      ctx.lineTo(x + size, y + d);
    }
  if (pattern === 'vstripes')
    for (let d = step / 2; d < size; d += step) {
      ctx.moveTo(x + d, y);
      ctx.lineTo(x + d, y + size);
    }
  ctx.stroke();
  if (pattern === 'dots') {
    const r = Math.max(1, size / 8);
    for (const [dx, dy] of [
      [0.3, 0.3],
      [0.7, 0.7],
      [0.3, 0.7],
      [0.7, 0.3],
    ])
      ctx.fillRect(x + dx * size - r / 2, y + dy * size - r / 2, r, r);
  }
  if (pattern === 'ring') {
    ctx.lineWidth = Math.max(1, size / 6);
    ctx.beginPath();
    ctx.arc(x + size / 2, y + size / 2, size / 3.2, 0, 2 * Math.PI);
    ctx.stroke();
  }
  ctx.restore();
}
