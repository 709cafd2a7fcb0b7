/**
 * Text widths estimated without a DOM, so the layout stays a pure function. The figures are
 * DejaVu Sans advance widths in em (Debian's system-ui, wider than most), rounded up: text
 * measured here fits where the estimate says in the fonts the app is likely drawn with.
 */
const NARROW = new Set([..."ijl|!'.,:;·"]);
const SEMI = new Set([...'frt /()[]-" ']);
const WIDE = new Set([...'mwMW%…']);

function charEm(c: string): number {
  if (NARROW.has(c)) return 0.34;
  if (SEMI.has(c)) return 0.44;
  if (WIDE.has(c)) return 1.0;
  if (c >= 'A' && c <= 'Z') return 0.78;
  return 0.66;
}

/** Estimated width in px of `text` at `fontPx` (bold adds 10%). */
export function textWidth(text: string, fontPx: number, bold = false): number {
  let em = 0;
  for (const c of text) em += charEm(c);
  return em * fontPx * (bold ? 1.1 : 1);
}

/** `text`, or its longest prefix that fits `maxWidth` with an ellipsis; '' when not even that fits. */
export function fitText(text: string, maxWidth: number, fontPx: number, bold = false): string {
  if (textWidth(text, fontPx, bold) <= maxWidth) return text;
  const chars = [...text];
  for (let n = chars.length - 1; n > 0; n--) {
    const candidate = `${chars.slice(0, n).join('').trimEnd()}…`;
    if (textWidth(candidate, fontPx, bold) <= maxWidth) return candidate;
  }
  return '';
}
