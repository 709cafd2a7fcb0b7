import { registerAt } from '../../../engine/hw/pciConfig';
import { BYTE_CLASS_INFO } from '../../../engine/passthrough/view';
import { inspect } from '../../store/workerClient';
import { useCellCursor } from '../useCellCursor';
import { CLASS_STYLE } from './colors';

const hex2 = (n: number) => n.toString(16).padStart(2, '0');

/** Rows to show: the 256-byte space, then extended-capability rows that hold anything. */
export function visibleRows(a: Uint8Array, b: Uint8Array): number[] {
  const rows: number[] = [];
  for (let r = 0; r < a.length; r += 16) {
    if (r < 256) rows.push(r);
    else if (r < 0x400 && (a.subarray(r, r + 16).some((x) => x) || b.subarray(r, r + 16).some((x) => x))) rows.push(r);
  }
  return rows;
}

const CLASS_NAME = new Map(BYTE_CLASS_INFO.map((c) => [c.id, c.name]));

/**
 * A decoded hex dump like lspci -xxx: bytes coloured and underlined by policy, the current access
 * outlined, click to inspect. One tab stop: arrow keys move a cursor byte, Enter inspects it.
 */
export function ConfigDump({
  title,
  subtitle,
  bytes,
  before,
  classes,
  rows,
  highlight,
  entry,
  side,
  testId,
}: {
  title: string;
  subtitle: string;
  bytes: Uint8Array;
  before?: Uint8Array;
  classes: Uint8Array;
  rows: number[];
  highlight: { offset: number; size: number } | null;
  entry: number;
  side: string;
  testId: string;
}) {
  const inspectByte = (at: number) => inspect({ mechanism: 'passthrough', item: 'register', entry, side, index: at });
  const offsetOf = (i: number) => rows[Math.floor(i / 16)] + (i % 16);
  const keyboard = useCellCursor(rows.length * 16, 16, (i) => inspectByte(offsetOf(i)));
  const cursorAt = keyboard.cursor === null ? -1 : offsetOf(keyboard.cursor);
  return (
    <figure className="pt-dump" data-testid={testId}>
      <figcaption>
        <strong>{title}</strong> <span className="muted">{subtitle}</span>
      </figcaption>
      <table aria-label={`${title} config space: arrow keys move, Enter explains the register`} {...keyboard.props}>
        <tbody>
          {rows.map((r) => (
            <tr key={r}>
              <th>{r.toString(16).padStart(3, '0')}:</th>
              {Array.from({ length: 16 }, (_, k) => {
                const at = r + k;
                const lit = highlight && at >= highlight.offset && at < highlight.offset + highlight.size;
                const changed = before && before[at] !== bytes[at];
                return (
                  <td
                    key={at}
                    title={`0x${at.toString(16)} ${registerAt(bytes, at).name}`}
                    className={`${CLASS_STYLE[classes[at]] ?? ''}${lit ? ' pt-lit' : ''}${changed ? ' pt-changed' : ''}${at === cursorAt ? ' pt-cursor' : ''}`}
                    onClick={() => inspectByte(at)}
                    onKeyDown={(e) => {
                      if (e.key === 'Enter') inspectByte(at);
                    }}
                  >
                    {hex2(bytes[at])}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="pt-said" aria-live="polite">
        {cursorAt >= 0
          ? `0x${cursorAt.toString(16)} = ${hex2(bytes[cursorAt])}: ${registerAt(bytes, cursorAt).name}, ${CLASS_NAME.get(classes[cursorAt]) ?? 'unassigned'}`
          : ''}
      </p>
    </figure>
  );
}

export function ClassLegend({ classes }: { classes: Uint8Array }) {
  const present = new Set(classes);
  return (
    <ul className="legend pt-legend">
      {BYTE_CLASS_INFO.filter((c) => present.has(c.id)).map((c) => (
        <li key={c.id} title={c.meaning}>
          <span className={`pt-class-sample ${CLASS_STYLE[c.id]}`}>ab</span> {c.name}
        </li>
      ))}
      <li>
        <span className="pt-class-sample pt-changed">ab</span> changed since the start
      </li>
      <li>
        <span className="pt-class-sample pt-lit">ab</span> current access
      </li>
    </ul>
  );
}
