import type { Report } from '../engine/mechanismDefinition';
import { allMechanisms } from '../engine/mechanisms';
import type { RunSummary } from '../engine/run';

/** Columns padded to their widest cell; numbers right-aligned. */
export function renderTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const numeric = header.map((_, i) => rows.every((r) => /^[-\d.,]+( \S+)?$/.test(r[i]) || r[i] === ''));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** One mechanism's entries as its report says: the table, the notes, the detail tables. */
export function renderReport<M>(
  report: Report<M>,
  entries: M[],
  firstColumn?: { label: string; values: string[] },
): string {
  const out: string[] = [];
  const header = report.columns.map((c) => c.label);
  const rows = entries.map((m) => report.columns.map((c) => c.value(m)));
  out.push(
    firstColumn
      ? renderTable(
          [firstColumn.label, ...header],
          rows.map((r, i) => [firstColumn.values[i], ...r]),
        )
      : renderTable(header, rows),
  );
  for (const m of entries) {
    const note = report.note?.(m);
    if (note) out.push(`${report.columns[0].value(m)}: ${note}`);
  }
  if (!firstColumn) {
    for (const m of entries) {
      for (const t of report.details?.(m) ?? []) out.push('', t.title, renderTable(t.header, t.rows));
    }
  }
  return out.join('\n');
}

export function renderSummary(summary: RunSummary, source: string): string {
  const out: string[] = [];
  out.push(`vmlab run of ${source}`);
  out.push(
    `trace hash ${summary.traceHash}, ${summary.events.toLocaleString('en-US')} events, simulated ${(summary.simTimeNs / 1e9).toFixed(3)} s (${summary.finishReason})`,
  );
  const sections = summary as unknown as Record<string, unknown[]>;
  for (const def of allMechanisms()) {
    const entries = sections[def.key];
    if (!entries || entries.length === 0) continue;
    out.push('', `${def.label} (${def.key})`, renderReport(def.report, entries));
  }
  return out.join('\n');
}
