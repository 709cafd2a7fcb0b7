import type { CompareEntry } from '../../../engine/compare';
import type { DeviceMetrics } from '../../../engine/passthrough';

function first(r: CompareEntry): DeviceMetrics | undefined {
  const list = (r.summary as unknown as { devices: DeviceMetrics[] }).devices ?? [];
  return list.find((d) => d.vm) ?? list[0];
}

function Bars({
  title,
  results,
  value,
  format,
}: {
  title: string;
  results: CompareEntry[];
  value: (m: DeviceMetrics) => number;
  format: (v: number) => string;
}) {
  const max =
    Math.max(
      ...results.map((r) => {
        const m = first(r);
        return m ? value(m) : 0;
      }),
    ) || 1;
  return (
    <figure className="chart">
      <figcaption>
        <strong>{title}</strong>
      </figcaption>
      <ul className="hbars" aria-label={title}>
        {results.map((r) => {
          const m = first(r);
          const v = m ? value(m) : 0;
          return (
            <li key={r.variant}>
              <span>{r.label}</span>
              <span className="hbar-value">{format(v)}</span>
              <span className={`hbar pt-variant-${r.variant}`} style={{ width: `${(100 * v) / max}%` }} />
            </li>
          );
        })}
      </ul>
    </figure>
  );
}

/** Emulated, trap and non-trap side by side: exits per I/O and latency. */
export function PassthroughCompare({ results }: { results: CompareEntry[] }) {
  return (
    <div className="pt-compare panel" data-testid="pt-compare">
      <Bars title="VM exits per I/O" results={results} value={(m) => m.exitsPerIo} format={(v) => v.toFixed(2)} />
      <Bars
        title="I/O latency, median (µs)"
        results={results}
        value={(m) => m.ioLatencyUs.p50}
        format={(v) => `${v.toFixed(1)} µs`}
      />
      <Bars
        title="VM exits in all (probe and I/O)"
        results={results}
        value={(m) => m.vmExits}
        format={(v) => v.toLocaleString('en-US')}
      />
      <table className="pt-segments">
        <thead>
          <tr>
            <th>variant</th>
            <th>config r/w</th>
            <th>exits/IO</th>
            <th>MMIO trapped</th>
            <th>p50</th>
            <th>p99</th>
            <th>IOPS</th>
          </tr>
        </thead>
        <tbody>
          {results.map((r) => {
            const m = first(r);
            return m ? (
              <tr key={r.variant}>
                <td>{r.label}</td>
                <td>
                  {m.configReads}/{m.configWrites}
                </td>
                <td>{m.exitsPerIo.toFixed(2)}</td>
                <td>{m.mmioTrapped}</td>
                <td>{m.ioLatencyUs.p50.toFixed(1)} µs</td>
                <td>{m.ioLatencyUs.p99.toFixed(1)} µs</td>
                <td>{Math.round(m.iops).toLocaleString('en-US')}</td>
              </tr>
            ) : null;
          })}
        </tbody>
      </table>
    </div>
  );
}
