import type { Report } from '../mechanismDefinition';
import type { NetworkMetrics } from './metrics';

const f = (v: number, d = 2) => v.toFixed(d);

/** How the CLI prints networks: one row each. */
export const NETWORK_REPORT: Report<NetworkMetrics> = {
  columns: [
    { label: 'vm', value: (m) => m.vm },
    { label: 'strategy', value: (m) => m.strategy },
    { label: 'sent', value: (m) => m.packetsSent.toLocaleString('en-US') },
    { label: 'delivered', value: (m) => m.packetsDelivered.toLocaleString('en-US') },
    { label: 'dropped', value: (m) => String(m.dropped.total) },
    { label: 'Mbps', value: (m) => f(m.throughputMbps, 0) },
    { label: 'exits/pkt', value: (m) => f(m.exitsPerPacket, 3) },
    { label: 'trans/pkt', value: (m) => f(m.transitionsPerPacket, 3) },
    { label: 'irq/pkt', value: (m) => f(m.interruptsPerPacket, 3) },
    { label: 'kicks', value: (m) => `${m.kicks} (+${m.kicksSuppressed} suppressed)` },
    { label: 'cluster', value: (m) => `${f(m.clusterSize.mean, 1)} / ${m.clusterSize.max}` },
    { label: 'latency p50/p99', value: (m) => `${f(m.latencyUs.p50, 1)} / ${f(m.latencyUs.p99, 1)} us` },
    { label: 'wait max', value: (m) => `${f(m.waitUs.max, 1)} us` },
    { label: 'verified', value: (m) => (m.verified ? 'yes' : `NO (${m.problem})`) },
  ],
  note: (m) =>
    Object.keys(m.triggers).length
      ? `groups by trigger: ${Object.entries(m.triggers)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}`
      : undefined,
};
