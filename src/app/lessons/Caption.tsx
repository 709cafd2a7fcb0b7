import type { ReactNode } from 'react';
import { swatchStyle } from '../labs/patterns';
import type { LegendTerm } from '../labs/types';
import './lessons.css';

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A caption with the legend's terms marked: the first time a caption uses a word that names a legend
 * entry ("dirtied", "in flight"), it is drawn as the legend draws that entry (its swatch, colour and
 * pattern, or its text sample), so the words and the views read as one. Matching is case-sensitive, on
 * whole words, longest term first ("copied, read-only" before "read-only").
 */
export function Caption({ text, terms }: { text: string; terms: readonly LegendTerm[] }) {
  const byName = new Map(terms.filter((t) => t.name.length > 2).map((t) => [t.name, t]));
  if (byName.size === 0) return <>{text}</>;
  const names = [...byName.keys()].sort((a, b) => b.length - a.length);
  const pattern = new RegExp(`(?<![\\w-])(${names.map(escapeRegExp).join('|')})(?![\\w-])`, 'g');
  const parts: ReactNode[] = [];
  const marked = new Set<string>();
  let last = 0;
  for (const m of text.matchAll(pattern)) {
    const term = byName.get(m[0]);
    const at = m.index ?? 0;
    if (!term || marked.has(m[0]) || at < last) continue;
    marked.add(m[0]);
    // An opening bracket before the term and the punctuation after it stay on its line.
    const before = text.slice(last, at);
    const open = before.match(OPENING)?.[0] ?? '';
    const end = at + m[0].length;
    const close = text.slice(end).match(CLOSING)?.[0] ?? '';
    parts.push(
      before.slice(0, before.length - open.length),
      <span key={at} className="lesson-term-glue">
        {open}
        <Term term={term} />
        {close}
      </span>,
    );
    last = end + close.length;
  }
  parts.push(text.slice(last));
  return <>{parts}</>;
}

const OPENING = /[([“‘"']+$/;
const CLOSING = /^[)\]”’"',.;:!?]+/;

function Term({ term }: { term: LegendTerm }) {
  if ('textClass' in term)
    return (
      <span className={`lesson-term lesson-term-text ${term.textClass}`} data-term={term.name}>
        {term.name}
      </span>
    );
  return (
    <span className="lesson-term" data-term={term.name}>
      <i
        className="lesson-term-swatch"
        style={swatchStyle(term.rgb, term.pattern)}
        data-pattern={term.pattern}
        aria-hidden="true"
      />
      {term.name}
    </span>
  );
}
