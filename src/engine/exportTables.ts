import type { LogEntry } from './kernel/simulation';

export interface Table {
  header: string[];
  rows: string[][];
}

/**
 * One row per entry, one column per scalar field; nested objects flatten to dotted names
 * (`xbzrle.bytes`), lists are left to their own tables. The same for every mechanism.
 */
export function metricsTable(entries: readonly unknown[]): Table {
  const flat = entries.map((e) => flatten(e));
  const header: string[] = [];
  for (const row of flat) for (const key of Object.keys(row)) if (!header.includes(key)) header.push(key);
  return { header, rows: flat.map((row) => header.map((k) => row[k] ?? '')) };
}

function flatten(value: unknown, prefix = '', out: Record<string, string> = {}): Record<string, string> {
  if (value === null || typeof value !== 'object') {
    out[prefix || 'value'] = String(value);
    return out;
  }
  for (const [key, v] of Object.entries(value)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (Array.isArray(v)) continue;
    if (v !== null && typeof v === 'object') flatten(v, name, out);
    else out[name] = v === undefined ? '' : String(v);
  }
  return out;
}

/** Lists of records inside the entries (a migration's rounds): a table each, the entry's first field leading. */
export function listTables(entries: readonly unknown[]): Record<string, Table> {
  const tables: Record<string, Table> = {};
  for (const entry of entries) {
    if (entry === null || typeof entry !== 'object') continue;
    const [firstKey, firstValue] = Object.entries(entry)[0] ?? ['entry', ''];
    for (const [key, v] of Object.entries(entry)) {
      if (!Array.isArray(v) || v.length === 0 || typeof v[0] !== 'object') continue;
      const t = metricsTable(v);
      tables[key] ??= { header: [firstKey, ...t.header], rows: [] };
      const table = tables[key];
      for (const row of t.rows) table.rows.push([String(firstValue), ...row]);
    }
  }
  return tables;
}

export function logTable(log: readonly LogEntry[]): Table {
  return {
    header: ['index', 'timeNs', 'kind', 'subject', 'level', 'text'],
    rows: log.map((e) => [String(e.index), String(e.timeNs), e.kind, e.subject, e.level, e.text]),
  };
}

/** RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled. */
export function toCsv(table: Table): string {
  const cell = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return `${[table.header, ...table.rows].map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}
