import type { Report } from '../mechanismDefinition';
import type { DeviceMetrics } from './metrics';

const us = (v: number) => `${v.toFixed(1)} µs`;

/** How the CLI prints devices: one row each, then each one's I/O segments. */
export const PASSTHROUGH_REPORT: Report<DeviceMetrics> = {
  columns: [
    { label: 'device', value: (m) => m.id },
    { label: 'model', value: (m) => m.model },
    { label: 'vm', value: (m) => m.vm || '(free)' },
    {
      label: 'strategy',
      value: (m) => (m.strategy === 'passthrough' ? `passthrough ${m.trap ? 'trap' : 'non-trap'}` : m.strategy),
    },
    { label: 'cfg r/w', value: (m) => `${m.configReads}/${m.configWrites}` },
    { label: 'virt/hw/drop', value: (m) => `${m.writesToVirtual}/${m.writesToHardware}/${m.writesDropped}` },
    { label: 'exits', value: (m) => m.vmExits.toLocaleString('en-US') },
    { label: 'exits/IO', value: (m) => m.exitsPerIo.toFixed(2) },
    { label: 'I/Os', value: (m) => m.ios.toLocaleString('en-US') },
    { label: 'p50', value: (m) => us(m.ioLatencyUs.p50) },
    { label: 'p99', value: (m) => us(m.ioLatencyUs.p99) },
    { label: 'blocked', value: (m) => String(m.iommuBlocked) },
    { label: 'verified', value: (m) => (m.verified ? 'yes' : 'NO') },
  ],
  note: (m) => m.note || undefined,
  details: (m) =>
    m.segments.length < 2
      ? []
      : [
          {
            title: `${m.id} I/O by stretch`,
            header: ['stretch', 'from', 'I/Os', 'exits/IO', 'mean latency'],
            rows: m.segments.map((g) => [
              g.label,
              `${(g.startNs / 1e6).toFixed(2)} ms`,
              g.ios.toLocaleString('en-US'),
              g.ios ? (g.exits / g.ios).toFixed(2) : '-',
              g.ios ? us(g.latencyNs / g.ios / 1000) : '-',
            ]),
          },
        ],
};
