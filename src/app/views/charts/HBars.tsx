import type { CompareEntry } from '../../../engine/compare';

/**
 * One horizontal bar per compared variant, drawn in HTML so its text stays at the page's size at
 * any width. Every lab's compare view uses it; `barClass` gives each variant its colour.
 */
export function HBars({
  title,
  results,
  value,
  format,
  barClass,
  unbounded,
}: {
  title: string;
  results: CompareEntry[];
  value: (r: CompareEntry) => number;
  format: (v: number) => string;
  barClass: (r: CompareEntry) => string;
  /** Entries whose figure has no end (a stranded VM's downtime): drawn as such, not as a bar of some length. */
  unbounded?: (r: CompareEntry) => string | undefined;
}) {
  const max = Math.max(...results.filter((r) => !unbounded?.(r)).map(value)) || 1;
  return (
    <figure className="chart">
      <figcaption>
        <strong>{title}</strong>
      </figcaption>
      <ul className="hbars" aria-label={title}>
        {results.map((r) => {
          const endless = unbounded?.(r);
          return (
            <li key={r.variant} className={endless ? 'hbar-unbounded' : undefined}>
              <span>{r.label}</span>
              <span className="hbar-value">{endless ?? format(value(r))}</span>
              {endless ? (
                <span className="hbar hbar-stranded" />
              ) : (
                <span className={`hbar ${barClass(r)}`} style={{ width: `${(100 * value(r)) / max}%` }} />
              )}
            </li>
          );
        })}
      </ul>
    </figure>
  );
}
