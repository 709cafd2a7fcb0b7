import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { legendTerms as checkpointTerms } from '../labs/checkpoint/colors';
import { legendTerms as migrationTerms } from '../labs/migration/pageColors';
import { legendTerms as networkTerms } from '../labs/network/colors';
import { legendTerms as passthroughTerms } from '../labs/passthrough/colors';
import { legendTerms as poolTerms } from '../labs/pool/colors';
import type { LegendTerm } from '../labs/types';
import { Caption } from './Caption';

const render = (text: string, terms: LegendTerm[]) => renderToStaticMarkup(createElement(Caption, { text, terms }));
const marked = (html: string) => [...html.matchAll(/data-term="([^"]*)"/g)].map((m) => m[1]);
const plain = (html: string) => html.replace(/<[^>]*>/g, '');

const TERMS: LegendTerm[] = [
  { name: 'free', rgb: [227, 230, 236], pattern: 'solid' },
  { name: 'free, old bytes still there', rgb: [196, 201, 212], pattern: 'dots' },
  { name: 'dirtied', rgb: [213, 94, 0], pattern: 'hatch' },
  { name: 'read-only', textClass: 'pt-legend pt-class-readonly' },
  { name: 'copied, read-only', textClass: 'pt-legend pt-class-copied' },
];

describe('Caption', () => {
  it('marks whole words only, the longest term first, each the first time it is used', () => {
    const html = render(
      'freed extents are free, old bytes still there; free again, dirtied, re-dirtied, dirtied',
      TERMS,
    );
    expect(marked(html)).toEqual(['free, old bytes still there', 'free', 'dirtied']);
    const text = render('copied, read-only and read-only', TERMS);
    expect(marked(text)).toEqual(['copied, read-only', 'read-only']);
  });

  it('keeps the words unchanged and draws a swatch with its pattern, or the legend classes for text', () => {
    const text = 'A page (dirtied), then copied, read-only.';
    const html = render(text, TERMS);
    expect(plain(html)).toBe(text);
    expect(html).toMatch(/class="lesson-term-swatch"[^>]*repeating-linear-gradient/);
    expect(html).toContain('class="lesson-term lesson-term-text pt-legend pt-class-copied"');
    // The bracket before a term and the punctuation after it do not wrap away from it.
    expect(html).toMatch(/<span class="lesson-term-glue">\(<span[\s\S]*dirtied<\/span>\),<\/span>/);
  });

  it("every lab's terms are distinct words with a colour and a pattern, or the legend's text classes", () => {
    for (const dark of [false, true]) {
      const labs = [migrationTerms(dark), checkpointTerms(dark), networkTerms(), poolTerms(), passthroughTerms()];
      for (const terms of labs) {
        expect(terms.length).toBeGreaterThan(2);
        for (const t of terms) {
          expect(t.name.trim()).toBe(t.name);
          if ('textClass' in t) expect(t.textClass).toMatch(/^pt-legend pt-class-\w+$/);
          else expect(t.rgb.every((c) => Number.isInteger(c) && c >= 0 && c <= 255)).toBe(true);
        }
        // A name used twice must mean one swatch ("in flight" on both checkpoint grids).
        const byName = new Map<string, string>();
        for (const t of terms) {
          const look = JSON.stringify(t);
          expect(byName.get(t.name) ?? look, t.name).toBe(look);
          byName.set(t.name, look);
        }
      }
    }
  });
});
