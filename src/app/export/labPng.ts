import { standaloneSvg } from './chartSvg';

/**
 * The lab's view as one PNG: every canvas (grids, rings, maps) and SVG chart drawn where it
 * sits on screen, with the captions above them, on the page's background.
 */
export async function labPng(root: HTMLElement): Promise<Blob> {
  const area = root.getBoundingClientRect();
  const scale = window.devicePixelRatio || 1;
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(area.width * scale);
  canvas.height = Math.round(area.height * scale);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas');
  ctx.scale(scale, scale);
  ctx.fillStyle = getComputedStyle(document.body).backgroundColor || '#ffffff';
  ctx.fillRect(0, 0, area.width, area.height);
  const at = (el: Element) => {
    const r = el.getBoundingClientRect();
    return { x: r.left - area.left, y: r.top - area.top, w: r.width, h: r.height };
  };
  for (const c of root.querySelectorAll('canvas')) {
    const p = at(c);
    if (p.w > 0 && p.h > 0) ctx.drawImage(c, p.x, p.y, p.w, p.h);
  }
  for (const svg of root.querySelectorAll<SVGSVGElement>('svg')) {
    const p = at(svg);
    if (p.w < 8 || p.h < 8) continue;
    const img = new Image();
    img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(standaloneSvg(svg))}`;
    await img.decode();
    ctx.drawImage(img, p.x, p.y, p.w, p.h);
  }
  ctx.fillStyle = getComputedStyle(document.body).color || '#000000';
  for (const cap of root.querySelectorAll('figcaption, h3')) {
    const p = at(cap);
    ctx.font = getComputedStyle(cap).font;
    ctx.fillText(cap.textContent ?? '', p.x, p.y + p.h * 0.8, p.w);
  }
  return new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the PNG could not be made'))), 'image/png'),
  );
}
