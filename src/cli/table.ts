import { formatBytes } from '../engine/kernel/clock';
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

const ms = (v: number) => `${v.toFixed(v >= 100 ? 0 : 2)} ms`;

export function renderSummary(summary: RunSummary, source: string): string {
  const out: string[] = [];
  out.push(`vmlab run of ${source}`);
  out.push(
    `trace hash ${summary.traceHash}, ${summary.events.toLocaleString('en-US')} events, simulated ${(summary.simTimeNs / 1e9).toFixed(3)} s (${summary.finishReason})`,
  );
  out.push('');
  out.push(
    renderTable(
      ['vm', 'strategy', 'status', 'total', 'downtime', 'transferred', 'rounds', 'faults', 'stall', 'verified'],
      summary.migrations.map((m) => [
        m.vm,
        m.strategy,
        m.status,
        ms(m.totalTimeMs),
        ms(m.downtimeMs),
        formatBytes(m.transferredBytes),
        String(m.rounds.length),
        String(m.postcopyRequests),
        ms(m.postcopyStallMs),
        m.verified ? 'yes' : `NO (${m.mismatchedPages} pages differ)`,
      ]),
    ),
  );
  for (const m of summary.migrations) {
    if (m.note) out.push(`${m.vm}: ${m.note}`);
    if (m.rounds.length === 0) continue;
    out.push('');
    out.push(`${m.vm} rounds`);
    out.push(
      renderTable(
        ['round', 'start', 'duration', 'pages sent', 'bytes sent', 'pages dirtied', 'vm'],
        m.rounds.map((r) => [
          String(r.round),
          ms(r.startMs),
          ms(r.durationMs),
          r.pagesSent.toLocaleString('en-US'),
          formatBytes(r.bytesSent),
          r.stopped ? '' : r.pagesDirtied.toLocaleString('en-US'),
          r.stopped ? 'stopped' : 'running',
        ]),
      ),
    );
  }
  return out.join('\n');
}
