import type { NetworkMetrics, NetworkView } from '../../../engine/network';
import type { Frame } from '../../../worker/protocol';
import { swatchStyle } from '../patterns';
import { CPU_PATTERNS, CPU_RGB, FLOW_COLORS, flowColor } from './colors';
import { LatencyHistogram } from './LatencyHistogram';
import { RingCircle } from './RingCircle';

export function NetworkLab({ frame }: { frame: Frame }) {
  const view = frame.labs.network as NetworkView | undefined;
  if (!view) return null;
  return (
    <section className="panel" data-testid="network-lab">
      <h2 className="sr-only">Networking</h2>
      {view.nets.map((net, entry) => (
        <div key={net.vm}>
          <h3>
            {net.vm}: {net.strategy}
          </h3>
          <div className="net-legend">
            {Array.from({ length: Math.min(net.flows, FLOW_COLORS.length) }, (_, f) => `flow${f}`).map((key, f) => (
              <span key={key}>
                <i className="net-key-waiting" style={{ background: flowColor(f) }} /> flow {f}
              </span>
            ))}
            <span>
              <i className="net-key-done" /> taken, not yet returned
            </span>
            <span>
              <i className="net-key-free" /> free buffer
            </span>
            <span>
              <i className="net-key-hand" /> avail.idx
            </span>
            <span>
              <i className="net-key-hand net-key-dashed" /> used.idx
            </span>
          </div>
          <div className="net-lab">
            {net.rings.map((r) => (
              <RingCircle key={r.dir} ring={r} entry={entry} vm={net.vm} />
            ))}
          </div>
        </div>
      ))}
    </section>
  );
}

export function NetworkSide({ frame }: { frame: Frame }) {
  const metrics = (frame.metrics.network ?? []) as NetworkMetrics[];
  const view = frame.labs.network as NetworkView | undefined;
  return (
    <>
      {metrics.map((m, i) => (
        <section className="panel" key={m.vm} data-testid="network-metrics">
          <h3>{m.vm} CPUs</h3>
          <div className="net-legend">
            {(Object.keys(CPU_RGB) as (keyof typeof CPU_RGB)[]).map((k) => (
              <span key={k}>
                <i style={swatchStyle(CPU_RGB[k], CPU_PATTERNS[k])} /> {k}
              </span>
            ))}
          </div>
          <div className="net-cpus">
            {m.cpu.map((c) => (
              <CpuRow key={c.cpu} c={c} now={view?.nets[i]?.cpus[c.cpu]?.now ?? ''} />
            ))}
          </div>
          <h3>Figures</h3>
          <div className="net-metrics metrics">
            <span>sent / delivered</span>
            <span>
              {m.packetsSent.toLocaleString('en-US')} / {m.packetsDelivered.toLocaleString('en-US')}
            </span>
            <span>dropped (ring full)</span>
            <span>{m.dropped.ringFull}</span>
            <span>exits per packet</span>
            <span data-testid="net-exits">{m.exitsPerPacket.toFixed(3)}</span>
            <span>transitions per packet</span>
            <span>{m.transitionsPerPacket.toFixed(3)}</span>
            <span>interrupts per packet</span>
            <span>{m.interruptsPerPacket.toFixed(3)}</span>
            <span>kicks (suppressed)</span>
            <span>
              {m.kicks} ({m.kicksSuppressed})
            </span>
            <span>cluster mean / max</span>
            <span>
              {m.clusterSize.mean.toFixed(1)} / {m.clusterSize.max}
            </span>
            <span>latency p50 / p99</span>
            <span>
              {m.latencyUs.p50.toFixed(1)} / {m.latencyUs.p99.toFixed(1)} µs
            </span>
            <span>wait max</span>
            <span>{m.waitUs.max.toFixed(1)} µs</span>
            <span>throughput</span>
            <span>{m.throughputMbps.toFixed(0)} Mbit/s</span>
            <span>ring bytes</span>
            <span>{m.ringBytes.toLocaleString('en-US')}</span>
            <span>verified</span>
            <span data-testid="net-verified">{m.verified ? 'yes' : m.problem}</span>
          </div>
          <LatencyHistogram bins={m.latencyHistogram} title="Latency, so far" />
        </section>
      ))}
    </>
  );
}

function CpuRow({ c, now }: { c: NetworkMetrics['cpu'][number]; now: string }) {
  return (
    <>
      <span>
        CPU {c.cpu} {c.cpu === 0 ? '(vCPU)' : '(host)'}: {now}
      </span>
      <span
        className="net-bar"
        title={`guest ${c.guestPct.toFixed(0)}%, VMM ${c.vmmPct.toFixed(0)}%, kernel ${c.kernelPct.toFixed(0)}%`}
      >
        <b style={{ width: `${c.guestPct}%`, ...swatchStyle(CPU_RGB.guest, CPU_PATTERNS.guest) }} />
        <b style={{ width: `${c.vmmPct}%`, ...swatchStyle(CPU_RGB.vmm, CPU_PATTERNS.vmm) }} />
        <b style={{ width: `${c.kernelPct}%`, ...swatchStyle(CPU_RGB.kernel, CPU_PATTERNS.kernel) }} />
      </span>
    </>
  );
}
