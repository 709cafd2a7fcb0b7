import type { CSSProperties, ReactNode } from 'react';

/**
 * A caption with the legend's terms marked: each word that names a legend entry ("dirtied",
 * "in flight") gets that entry's swatch beside it, so the words and the grid read as one.
 */
export function Caption({ text, terms }: { text: string; terms: Record<string, CSSProperties> }) {
  const names = Object.keys(terms)
    .filter((t) => t.length > 2)
    .sort((a, b) => b.length - a.length);
  if (names.length === 0) return <>{text}</>;
  const pattern = new RegExp(`\\b(${names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})\\b`, 'g');
  const parts: ReactNode[] = [];
  let last = 0;
  for (const m of text.matchAll(pattern)) {
    const at = m.index ?? 0;
    parts.push(text.slice(last, at));
    parts.push(
      <span key={at} className="lesson-term">
        <i className="lesson-term-swatch" style={terms[m[0]]} aria-hidden="true" />
        {m[0]}
      </span>,
    );
    last = at + m[0].length;
  }
  parts.push(text.slice(last));
  return <>{parts}</>;
}
