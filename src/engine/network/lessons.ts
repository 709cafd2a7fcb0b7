import { first, type Lesson, type LessonContext } from '../lesson';
import { sectionOf } from '../scenario/fields';
import type { NetworkMetrics } from './metrics';
import { NETWORK_PRESETS } from './presets';
import type { NetworkConfig } from './schema';

const m = (ctx: LessonContext) => first<NetworkMetrics>(ctx, 'network');
const config = (ctx: LessonContext) => sectionOf<NetworkConfig>(ctx.scenario, 'networks')[0];
const int = (n: number) => Math.round(n).toLocaleString('en-US');
const fixed = (n: number, digits: number) => n.toFixed(digits);
const mpps = (n: number) => (n / 1e6).toFixed(2);
const us = (n: number) => (n >= 100 ? int(n) : n.toFixed(1));
const msOf = (microseconds: number) => (microseconds / 1000).toFixed(1);
const vcpu = (ctx: LessonContext) => m(ctx).cpu[0];
/** Packets a second the sources offered: everything they sent over the time they sent it. */
const offeredPps = (ctx: LessonContext) => m(ctx).packetsSent / (config(ctx).durationMs / 1000);
/** A constant source's rate (the trickle sets it). */
const rate = (ctx: LessonContext) => config(ctx).traffic.packetsPerSec ?? 0;
/** How long the first packet of a full cluster waits for the rest at a constant rate. */
const gatherUs = (ctx: LessonContext) => ((config(ctx).clusterPackets - 1) * 1e6) / rate(ctx);
const flushes = (ctx: LessonContext) => Object.values(m(ctx).triggers).reduce((a, b) => a + b, 0);
const kickShare = (ctx: LessonContext) => {
  const posts = m(ctx).kicks + m(ctx).kicksSuppressed;
  return posts > 0 ? m(ctx).kicks / posts : 0;
};

/** The cluster size a preset runs, read from the preset so a prompt never disagrees with it. */
function clusterOf(presetId: string): number {
  const preset = NETWORK_PRESETS.find((p) => p.id === presetId);
  const n = (preset?.scenario as { networks?: { clusterPackets?: number }[] } | undefined)?.networks?.[0]
    ?.clusterPackets;
  if (n === undefined) throw new Error(`network lessons: preset ${presetId} has no clusterPackets`);
  return n;
}

const CLUSTER = clusterOf('net-cluster-3');

export const NETWORK_LESSONS: Lesson[] = [
  {
    id: 'clustering',
    title: 'Clustering against exits and latency',
    preset: 'net-per-packet',
    steps: [
      {
        caption: (ctx) =>
          `The guest sends ${config(ctx).lineRateGbps} GbE ${config(ctx).traffic.kind.toUpperCase()} at line rate, one packet at a time: every packet costs an exit into the vmm and a transition to the kernel.`,
        highlight: { kind: 'ring', target: 'tx' },
      },
      {
        waitFor: { mechanism: 'run', kind: 'time', atMs: 1 },
        caption: (ctx) =>
          `After 1 ms: ${int(m(ctx).packetsSent)} packets, ${fixed(m(ctx).exitsPerPacket, 2)} exits per packet. The vCPU spent ${fixed(vcpu(ctx).guestPct, 1)}% of its time in the guest, ${fixed(vcpu(ctx).vmmPct, 0)}% in the vmm handling exits and ${fixed(vcpu(ctx).kernelPct, 0)}% in the kernel.`,
        highlight: { kind: 'metric', target: 'exits' },
        claim: (ctx) => m(ctx).exitsPerPacket >= 0.99 && vcpu(ctx).guestPct < 10,
      },
      {
        waitFor: 'end',
        caption: (ctx) =>
          `The vCPU managed ${mpps(m(ctx).pps)} M packets a second of the ${mpps(offeredPps(ctx))} M offered, so packets queued: ${config(ctx).durationMs} ms of traffic took ${msOf(ctx.timeNs / 1000)} ms to leave, and p99 latency reached ${msOf(m(ctx).latencyUs.p99)} ms.`,
        highlight: { kind: 'metric', target: 'latency' },
        claim: (ctx) =>
          m(ctx).pps < 0.5 * offeredPps(ctx) && m(ctx).latencyUs.p99 > config(ctx).durationMs * 1000 && m(ctx).verified,
        question: {
          prompt: `Now packets wait in the shared ring until ${CLUSTER} are there, then leave together. Exits per packet?`,
          choices: ['still about 1', `about 1/${CLUSTER}`, 'none'],
          answer: (ctx) => (m(ctx).exitsPerPacket > 0.9 ? 0 : m(ctx).exitsPerPacket > 0.05 ? 1 : 2),
        },
      },
      {
        preset: 'net-cluster-3',
        waitFor: 'end',
        caption: (ctx) =>
          `About 1/${config(ctx).clusterPackets}: ${fixed(m(ctx).exitsPerPacket, 3)} exits per packet in clusters of ${fixed(m(ctx).clusterSize.mean, 2)}, so the vCPU sent ${mpps(m(ctx).pps)} M packets a second and p99 latency fell to ${msOf(m(ctx).latencyUs.p99)} ms. At line rate ${config(ctx).clusterPackets} packets gather at once: none waited over ${us(m(ctx).waitUs.max * 1000)} ns in the ring.`,
        highlight: { kind: 'metric', target: 'exits' },
        claim: (ctx) =>
          m(ctx).exitsPerPacket > 0.3 &&
          m(ctx).exitsPerPacket <= 1 / config(ctx).clusterPackets + 0.001 &&
          m(ctx).clusterSize.mean >= 2.9 &&
          m(ctx).waitUs.max < 1 &&
          m(ctx).latencyUs.p99 < config(ctx).durationMs * 1000 &&
          m(ctx).verified,
        question: {
          prompt: 'Next, a trickle: packets come far apart. How long will the first packet of a cluster wait?',
          choices: ['until two more have come', 'until the wait bound runs out', 'not at all'],
          answer: (ctx) => {
            const t = m(ctx).triggers;
            return (t.bound ?? 0) > 0 ? 1 : (t.count ?? 0) > 0 ? 0 : 2;
          },
        },
      },
      {
        preset: 'net-trickle-bound',
        waitFor: { mechanism: 'network', kind: 'flush' },
        caption: (ctx) =>
          `${int(rate(ctx))} packets a second, one every ${us(1e6 / rate(ctx))} µs, from a guest too busy to idle. The first group leaves after ${us(m(ctx).waitUs.max)} µs with ${m(ctx).clusterSize.max} packets: the ${us(config(ctx).maxWaitUs)} µs bound sent it, not the count of ${config(ctx).clusterPackets}.`,
        highlight: { kind: 'ring', target: 'tx' },
        claim: (ctx) =>
          (m(ctx).triggers.bound ?? 0) === 1 &&
          m(ctx).clusterSize.max < config(ctx).clusterPackets &&
          m(ctx).waitUs.max <= config(ctx).maxWaitUs,
      },
      {
        waitFor: 'end',
        caption: (ctx) =>
          `All ${int(flushes(ctx))} groups left at the bound, ${fixed(m(ctx).clusterSize.mean, 1)} packets each: no packet waited over ${us(m(ctx).waitUs.max)} µs, where the count alone would have held the first of ${config(ctx).clusterPackets} for ${us(gatherUs(ctx))} µs. Each group still costs an exit: ${fixed(m(ctx).exitsPerPacket, 2)} per packet.`,
        highlight: { kind: 'metric', target: 'wait' },
        claim: (ctx) =>
          (m(ctx).triggers.bound ?? 0) === flushes(ctx) &&
          m(ctx).waitUs.max <= config(ctx).maxWaitUs &&
          gatherUs(ctx) > config(ctx).maxWaitUs &&
          m(ctx).exitsPerPacket < 1 &&
          m(ctx).verified,
      },
    ],
  },
  {
    id: 'event-idx',
    title: 'EVENT_IDX: kicks only when asked',
    preset: 'net-event-idx',
    steps: [
      {
        caption: () =>
          'virtio with EVENT_IDX: a kick costs an exit, so the guest kicks only when vring_need_event says the vhost thread asked to hear of this index (avail_event in the used ring).',
        highlight: { kind: 'ring', target: 'tx' },
      },
      {
        waitFor: { mechanism: 'run', kind: 'event', type: 'net.kick' },
        caption: (ctx) =>
          `The first packet: the vhost thread is asleep and waiting for it, so the guest kicks (${m(ctx).kicks} kick, one exit) and wakes it on CPU 1.`,
        highlight: { kind: 'metric', target: 'kicks' },
        claim: (ctx) => m(ctx).kicks === 1 && m(ctx).kicksSuppressed === 0,
      },
      {
        waitFor: { mechanism: 'run', kind: 'event', type: 'net.kick.suppressed' },
        caption: (ctx) =>
          `${us(ctx.timeNs / 1000)} µs in, the next post needs no kick: vhost is awake, polling the ring, and has not asked to hear of this index. Suppressed: ${m(ctx).kicksSuppressed}.`,
        highlight: { kind: 'metric', target: 'kicks' },
        claim: (ctx) => m(ctx).kicks === 1 && m(ctx).kicksSuppressed >= 1,
        question: {
          prompt: 'When will the guest kick again?',
          choices: ['at its next packet', 'when vhost finds the ring empty and asks again', 'never'],
          answer: (ctx) => (m(ctx).kicks === 1 && m(ctx).kicksSuppressed > 1 ? 1 : 0),
        },
      },
      {
        waitFor: { mechanism: 'run', kind: 'event', type: 'net.notify' },
        caption: (ctx) =>
          `vhost has drained the ring: it re-enables notifications (avail_event = avail.idx) and sleeps, so the next post will kick. Until now ${m(ctx).kicksSuppressed} posts went without one.`,
        highlight: { kind: 'ring', target: 'tx' },
        claim: (ctx) => m(ctx).kicks === 1 && m(ctx).kicksSuppressed > 1,
        question: {
          prompt: 'At line rate for the whole run, what share of the posts will kick?',
          choices: ['most of them', 'about a third', 'a few percent'],
          answer: (ctx) => (kickShare(ctx) > 0.5 ? 0 : kickShare(ctx) > 0.1 ? 1 : 2),
        },
      },
      {
        waitFor: 'end',
        caption: (ctx) =>
          `A few percent: ${int(m(ctx).kicks)} kicks against ${int(m(ctx).kicksSuppressed)} suppressed, ${fixed(m(ctx).exitsPerPacket, 3)} exits per packet, and the vCPU kept up with line rate (${mpps(m(ctx).pps)} M packets a second, p99 latency ${us(m(ctx).latencyUs.p99)} µs). The price: the vhost thread kept CPU 1 in the kernel ${fixed(m(ctx).cpu[1].kernelPct, 0)}% of the time.`,
        highlight: { kind: 'metric', target: 'kicks' },
        claim: (ctx) =>
          kickShare(ctx) < 0.05 &&
          m(ctx).exitsPerPacket < 0.05 &&
          m(ctx).pps >= 0.95 * offeredPps(ctx) &&
          m(ctx).cpu[1].kernelPct > 50 &&
          m(ctx).verified,
      },
    ],
  },
];
