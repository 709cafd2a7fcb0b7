export interface Point {
  x: number;
  y: number;
}

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

const EPS = 1e-6;

/** Interiors intersect (boxes that only touch do not overlap). */
export function boxesOverlap(a: Box, b: Box): boolean {
  return a.x < b.x + b.w - EPS && b.x < a.x + a.w - EPS && a.y < b.y + b.h - EPS && b.y < a.y + a.h - EPS;
}

export function boxContains(outer: Box, inner: Box): boolean {
  return (
    inner.x >= outer.x - EPS &&
    inner.y >= outer.y - EPS &&
    inner.x + inner.w <= outer.x + outer.w + EPS &&
    inner.y + inner.h <= outer.y + outer.h + EPS
  );
}

export function onBoxBorder(p: Point, b: Box): boolean {
  const inX = p.x >= b.x - EPS && p.x <= b.x + b.w + EPS;
  const inY = p.y >= b.y - EPS && p.y <= b.y + b.h + EPS;
  const onVertical = Math.abs(p.x - b.x) < EPS || Math.abs(p.x - b.x - b.w) < EPS;
  const onHorizontal = Math.abs(p.y - b.y) < EPS || Math.abs(p.y - b.y - b.h) < EPS;
  return inX && inY && (onVertical || onHorizontal);
}

/** The point is strictly inside the box. */
export function insideBox(p: Point, b: Box): boolean {
  return p.x > b.x + EPS && p.x < b.x + b.w - EPS && p.y > b.y + EPS && p.y < b.y + b.h - EPS;
}

export function lerp(a: Point, b: Point, t: number): Point {
  return { x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t };
}

/**
 * SVG path through axis-aligned `points` with each bend rounded by a quadratic curve (radius at
 * most `radius`, and at most half of either segment, so a curve stays in the triangle of its bend).
 */
export function roundedPath(points: Point[], radius: number): string {
  if (points.length < 2) return '';
  const f = (n: number) => Number(n.toFixed(2));
  let d = `M${f(points[0].x)},${f(points[0].y)}`;
  for (let i = 1; i < points.length - 1; i++) {
    const [prev, at, next] = [points[i - 1], points[i], points[i + 1]];
    const r = Math.min(radius, distance(prev, at) / 2, distance(at, next) / 2);
    const before = towards(at, prev, r);
    const after = towards(at, next, r);
    d += ` L${f(before.x)},${f(before.y)} Q${f(at.x)},${f(at.y)} ${f(after.x)},${f(after.y)}`;
  }
  const last = points[points.length - 1];
  return `${d} L${f(last.x)},${f(last.y)}`;
}

/** Points along the drawn (rounded) path, every `step` px or closer: what the tests check. */
export function samplePath(points: Point[], radius: number, step = 2): Point[] {
  const out: Point[] = [points[0]];
  let from = points[0];
  const line = (to: Point) => {
    const n = Math.max(1, Math.ceil(distance(from, to) / step));
    for (let k = 1; k <= n; k++) out.push(lerp(from, to, k / n));
    from = to;
  };
  for (let i = 1; i < points.length - 1; i++) {
    const [prev, at, next] = [points[i - 1], points[i], points[i + 1]];
    const r = Math.min(radius, distance(prev, at) / 2, distance(at, next) / 2);
    const before = towards(at, prev, r);
    const after = towards(at, next, r);
    line(before);
    for (let k = 1; k <= 8; k++) {
      const t = k / 8;
      out.push(lerp(lerp(before, at, t), lerp(at, after, t), t));
    }
    from = after;
  }
  line(points[points.length - 1]);
  return out;
}

function distance(a: Point, b: Point): number {
  return Math.hypot(b.x - a.x, b.y - a.y);
}

function towards(from: Point, to: Point, r: number): Point {
  const d = distance(from, to);
  return d === 0 ? from : lerp(from, to, r / d);
}
