import type { Nanos } from '../kernel/clock';
import { BUCKETS_PER_DOUBLING, HISTOGRAM_BUCKETS } from './histogram';
import { CPU_GUEST, CPU_KERNEL, CPU_VMM } from './model';
import type { NetRun } from './run';
import { verifyNetwork } from './verify';

export interface Percentiles {
  p50: number;
  p99: number;
  max: number;
}

export interface NetworkMetrics {
  vm: string;
  strategy: string;
  packetsSent: number;
  packetsDelivered: number;
  dropped: { ringFull: number; total: number };
  throughputMbps: number;
  pps: number;
  exitsPerPacket: number;
  transitionsPerPacket: number;
  interruptsPerPacket: number;
  kicks: number;
  kicksSuppressed: number;
  interruptsSuppressed: number;
  clusterSize: { mean: number; max: number };
  latencyUs: Percentiles;
  /** Packets per latency range, one bin per doubling (both directions together): `[fromUs, toUs, packets]`. */
  latencyHistogram: [number, number, number][];
  waitUs: Percentiles;
  ringOccupancy: { mean: number; max: number };
  cpu: { cpu: number; guestPct: number; vmmPct: number; kernelPct: number; idlePct: number }[];
  ringBytes: number;
  triggers: Record<string, number>;
  verified: boolean;
  problem: string;
}

export function networkMetrics(run: NetRun, now: Nanos): NetworkMetrics {
  let sent = 0;
  let delivered = 0;
  let bytes = 0;
  let ringFull = 0;
  let kicks = 0;
  let suppressed = 0;
  let interrupts = 0;
  let intSuppressed = 0;
  let groups = 0;
  let grouped = 0;
  let maxCluster = 0;
  let occSum = 0;
  let occN = 0;
  let occMax = 0;
  let first = Number.POSITIVE_INFINITY;
  let last = 0;
  const triggers: Record<string, number> = {};
  const lat = { p50: 0, p99: 0, max: 0 };
  const wait = { p50: 0, p99: 0, max: 0 };
  for (const s of run.sides) {
    const st = s.stats;
    sent += st.offered;
    delivered += st.delivered;
    bytes += st.bytesDelivered;
    ringFull += st.droppedRingFull;
    kicks += st.kicks;
    suppressed += st.kicksSuppressed;
    interrupts += st.interrupts;
    intSuppressed += st.interruptsSuppressed;
    groups += st.flushes;
    grouped += st.flushedPackets;
    maxCluster = Math.max(maxCluster, st.maxCluster);
    occSum += st.occupancySum;
    occN += st.occupancySamples;
    occMax = Math.max(occMax, st.occupancyMax);
    if (st.firstOfferNs >= 0) first = Math.min(first, st.firstOfferNs);
    last = Math.max(last, st.lastDeliverNs);
    for (const [k, v] of Object.entries(st.triggers)) triggers[k] = (triggers[k] ?? 0) + v;
    // With both directions the worse direction's figures are shown.
    lat.p50 = Math.max(lat.p50, st.latency.quantile(0.5) / 1000);
    lat.p99 = Math.max(lat.p99, st.latency.quantile(0.99) / 1000);
    lat.max = Math.max(lat.max, st.latency.max / 1000);
    wait.p50 = Math.max(wait.p50, st.wait.quantile(0.5) / 1000);
    wait.p99 = Math.max(wait.p99, st.wait.quantile(0.99) / 1000);
    wait.max = Math.max(wait.max, st.wait.max / 1000);
  }
  const span = last > first ? (last - first) / 1e9 : 0;
  const per = (n: number) => (delivered > 0 ? n / delivered : 0);
  const elapsed = Math.max(1, now);
  const cpu = [];
  for (let i = 0; i < run.cpus; i++) {
    const g = run.cpuNs[i * 3 + CPU_GUEST];
    const v = run.cpuNs[i * 3 + CPU_VMM];
    const k = run.cpuNs[i * 3 + CPU_KERNEL];
    const pct = (x: number) => Math.min(100, (100 * x) / elapsed);
    cpu.push({
      cpu: i,
      guestPct: pct(g),
      vmmPct: pct(v),
      kernelPct: pct(k),
      idlePct: Math.max(0, 100 - pct(g + v + k)),
    });
  }
  const v = verifyNetwork(run);
  return {
    vm: run.vm,
    strategy: run.cfg.strategy + (run.cfg.offload && run.cfg.strategy === 'cluster' ? '+offload' : ''),
    packetsSent: sent,
    packetsDelivered: delivered,
    dropped: { ringFull, total: ringFull },
    throughputMbps: span > 0 ? (bytes * 8) / span / 1e6 : 0,
    pps: span > 0 ? delivered / span : 0,
    exitsPerPacket: per(run.exits),
    transitionsPerPacket: per(run.transitions),
    interruptsPerPacket: per(interrupts),
    kicks,
    kicksSuppressed: suppressed,
    interruptsSuppressed: intSuppressed,
    clusterSize: { mean: groups > 0 ? grouped / groups : 0, max: maxCluster },
    latencyUs: lat,
    latencyHistogram: doublingBins(run.sides.map((side) => side.stats.latency.counts)),
    waitUs: wait,
    ringOccupancy: { mean: occN > 0 ? occSum / occN : 0, max: occMax },
    cpu,
    ringBytes: run.ringBytes,
    triggers,
    verified: v.ok && run.isDone(),
    problem: v.problem || (run.isDone() ? '' : 'packets still in flight'),
  };
}

/** Sum the histograms' buckets into one bin per doubling of latency, from the first to the last non-empty one. */
function doublingBins(histograms: Uint32Array[]): [number, number, number][] {
  const bins = new Float64Array(Math.ceil(HISTOGRAM_BUCKETS / BUCKETS_PER_DOUBLING));
  for (const counts of histograms) {
    for (let b = 0; b < counts.length; b++) bins[Math.floor(b / BUCKETS_PER_DOUBLING)] += counts[b];
  }
  let first = bins.findIndex((n) => n > 0);
  if (first < 0) return [];
  let last = bins.length - 1;
  while (bins[last] === 0) last--;
  first = Math.max(0, first);
  const out: [number, number, number][] = [];
  for (let d = first; d <= last; d++) out.push([2 ** d / 1000, 2 ** (d + 1) / 1000, bins[d]]);
  return out;
}
