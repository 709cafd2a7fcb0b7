import type { DeviceView, PassthroughView } from '../../../engine/passthrough/view';
import type { Frame } from '../../../worker/protocol';
import { ClassLegend, ConfigDump, visibleRows } from './ConfigDump';
import { PATH_LABELS } from './colors';

const hex = (n: number, d = 8) => `0x${n.toString(16).padStart(d, '0')}`;
const size = (b: number) => (b >= 1 << 20 ? `${b / (1 << 20)} MiB` : b >= 1024 ? `${b / 1024} KiB` : `${b} B`);

/** Where the current access went: guest, trap, then the copy, the hardware, nowhere or the software device. */
function AccessPath({ d }: { d: DeviceView }) {
  const a = d.last;
  if (!a.kind) return <p className="muted">The probe has not started.</p>;
  const targets =
    d.strategy === 'emulated'
      ? ['emulated']
      : d.strategy === 'direct-unsafe'
        ? ['hardware']
        : ['virtual', 'hardware', 'dropped'];
  const at = a.kind === 'mmio' ? 'trapped' : a.path;
  return (
    <div className="pt-path" data-testid="pt-path">
      <span className="pt-node">guest driver</span>
      <span className="pt-arrow">→</span>
      <span className={`pt-node ${d.strategy === 'direct-unsafe' && a.kind === 'mmio' ? '' : 'pt-node-on'}`}>
        {a.kind === 'mmio' ? 'MMIO exit' : 'config exit (0xCF8/0xCFC)'}
      </span>
      <span className="pt-arrow">→</span>
      {a.kind === 'mmio' ? (
        <span className="pt-node pt-node-on">
          {d.strategy === 'direct-unsafe' ? 'device MSI-X table (raw)' : 'VMM’s MSI-X table'}
        </span>
      ) : (
        targets.map((t) => (
          <span key={t} className={`pt-node ${t === at ? 'pt-node-on' : ''}`}>
            {t === 'virtual'
              ? 'virtual copy'
              : t === 'hardware'
                ? 'hardware'
                : t === 'dropped'
                  ? 'dropped'
                  : 'software device'}
          </span>
        ))
      )}
      <span className="pt-path-text">
        {a.kind} {a.kind === 'mmio' ? `BAR offset ${hex(a.offset, 4)}` : `${hex(a.offset, 3)} (${a.size} B)`} ={' '}
        {hex(a.value, a.size * 2)}: {a.note}. {PATH_LABELS[at] ?? ''}
      </span>
    </div>
  );
}

function BarTable({ d }: { d: DeviceView }) {
  return (
    <table className="pt-bars" data-testid="pt-bars">
      <caption>
        BAR sizing handshake: write all ones, read back ~(size − 1) | flags, size = ~(value &amp; ~flags) + 1
      </caption>
      <thead>
        <tr>
          <th>BAR</th>
          <th>kind</th>
          <th>write</th>
          <th>read-back</th>
          <th>size</th>
          <th>guest address</th>
          <th>host address</th>
        </tr>
      </thead>
      <tbody>
        {d.bars.map((b) => {
          const done = b.sizing && d.probe.next > b.sizing.readStep;
          return (
            <tr key={b.index}>
              <td>
                BAR{b.index} <span className="muted">{b.label}</span>
              </td>
              <td>{b.kind}</td>
              <td>{b.sizing ? '0xffffffff' : ''}</td>
              <td className="mono">{done && b.sizing ? hex(b.sizing.readback) : '…'}</td>
              <td>{done ? size(b.size) : '…'}</td>
              <td className="mono">{hex(b.guest, b.guest > 0xffffffff ? 12 : 8)}</td>
              <td className={`mono ${b.hostNow !== b.hostAtStart ? 'pt-bad' : ''}`}>
                {hex(b.hostNow, b.hostNow > 0xffffffff ? 12 : 8)}
                {b.hostNow !== b.hostAtStart ? ` (was ${hex(b.hostAtStart)}: moved by the guest!)` : ''}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function ProbeSteps({ d }: { d: DeviceView }) {
  return (
    <ol className="pt-steps" data-testid="pt-steps">
      {d.probe.window.map((st) => (
        <li
          key={st.index}
          className={st.index === d.probe.next - 1 ? 'pt-step-now' : st.index < d.probe.next ? 'muted' : ''}
        >
          <span className="mono">
            {String(st.index + 1).padStart(3, ' ')} {st.kind.padEnd(5, ' ')} {st.kind === 'mmio' ? `BAR${st.bar}+` : ''}
            {hex(st.offset, 3)} {hex(st.value, st.size * 2)}
          </span>{' '}
          {st.note}
          {st.path ? <em> → {st.path}</em> : null}
        </li>
      ))}
    </ol>
  );
}

function DeviceSection({ d, i }: { d: DeviceView; i: number }) {
  const rows = visibleRows(d.physical, d.guest);
  const hl = d.last.kind && d.last.kind !== 'mmio' ? { offset: d.last.offset, size: d.last.size } : null;
  const guestTitle =
    d.strategy === 'passthrough'
      ? 'what the guest reads (virtual copy through the policy)'
      : d.strategy === 'emulated'
        ? 'the emulated device’s config space'
        : 'the physical space, as the guest sees it';
  return (
    <section className="panel pt-device" data-testid={`pt-device-${d.id}`}>
      <h3>
        {d.id} · {d.model} ({d.vendorDevice}) on {d.host} · {d.vm ? `given to ${d.vm}` : 'free'} ·{' '}
        {d.strategy === 'passthrough' ? `passthrough, ${d.trap ? 'trap' : 'non-trap'}` : d.strategy}
        {d.iommu ? ', IOMMU on' : ', no IOMMU'} ·{' '}
        <span data-testid="pt-stage">{d.fallback ? 'emulated fallback' : d.stage}</span>
      </h3>
      {d.restoredFrom && (
        <p className="pt-note">
          Attached after the migration with its virtual config restored from {d.restoredFrom}’s copy: same guest BARs
          and MSI-X programming, different host addresses. (Restoring the copied config space on another host is our
          reading, not the patent’s claim.)
        </p>
      )}
      {d.probe.total > 0 && !d.restoredFrom && (
        <p className="pt-progress">
          Probe: {Math.min(d.probe.next, d.probe.total)} of {d.probe.total} accesses
          {d.probe.window.find((s) => s.index === d.probe.next - 1)?.stage
            ? ` · ${d.probe.window.find((s) => s.index === d.probe.next - 1)?.stage}`
            : ''}
        </p>
      )}
      <AccessPath d={d} />
      <div className="pt-dumps">
        <ConfigDump
          title="physical"
          subtitle={`the host's device on ${d.host}`}
          bytes={d.physical}
          before={d.physicalAtStart}
          classes={d.classes}
          rows={rows}
          highlight={d.strategy === 'passthrough' && d.last.path !== 'hardware' ? null : hl}
          entry={i}
          side="physical"
          testId="dump-physical"
        />
        <ConfigDump
          title={d.strategy === 'passthrough' ? 'virtual' : 'guest view'}
          subtitle={guestTitle}
          bytes={d.guest}
          classes={d.classes}
          rows={rows}
          highlight={hl}
          entry={i}
          side="virtual"
          testId="dump-virtual"
        />
      </div>
      <ClassLegend classes={d.classes} />
      {d.hidden.length > 0 && (
        <p className="muted">
          Hidden from the guest (unlinked in the copy):{' '}
          {d.hidden
            .map((h) => `${h.extended ? 'ext cap' : 'cap'} 0x${h.id.toString(16)} @${h.offset.toString(16)}`)
            .join(', ')}
          .
        </p>
      )}
      <div className="pt-lower">
        <BarTable d={d} />
        <ProbeSteps d={d} />
      </div>
    </section>
  );
}

/** The passthrough lab: each device's physical and virtual config spaces, the probe stepping through them. */
export function PassthroughLab({ frame }: { frame: Frame }) {
  const view = frame.labs.passthrough as PassthroughView | undefined;
  if (!view || view.devices.length === 0) return <p className="muted panel">This scenario has no devices.</p>;
  const shown = view.devices.map((d, i) => ({ d, i })).filter(({ d }) => d.vm || d.restoredFrom || d.probe.total > 0);
  return (
    <div className="pt-view">
      <h2 className="sr-only">Device passthrough</h2>
      {(shown.length ? shown : view.devices.map((d, i) => ({ d, i }))).map(({ d, i }) => (
        <DeviceSection key={d.id} d={d} i={i} />
      ))}
    </div>
  );
}
