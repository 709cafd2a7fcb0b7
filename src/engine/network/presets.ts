import type { Preset } from '../mechanismDefinition';

/** A small idle VM: the network lab moves packets, not memory. */
const vm = { id: 'vm1', host: 'host1', memoryMiB: 1, diskMiB: 0, workload: { kind: 'idle' } };
const world = (cpus = 2) => ({ version: 1, seed: 7, hosts: [{ id: 'host1', cpus }], vms: [vm] });
const imixLineRate = { kind: 'imix', flows: 4 };

export const NETWORK_PRESETS: Preset[] = [
  {
    id: 'net-per-packet',
    title: 'Per packet at line rate: the exit storm',
    teaches:
      'One exit and one VMM-to-kernel transition per packet cap the vCPU at under a million packets a second while 10 GbE IMIX offers 3.3 M: the vCPU spends its time exiting and latency climbs.',
    lab: 'network',
    view: 'lab',
    scenario: {
      ...world(),
      name: 'Per-packet transmit, 10 GbE IMIX',
      networks: [{ vm: 'vm1', strategy: 'per-packet', traffic: imixLineRate, durationMs: 4 }],
    },
  },
  {
    id: 'net-cluster-3',
    title: 'Clustering at 3 packets',
    teaches:
      "VMware's send combining: packets wait in the shared ring until three are there, then leave as one group: a third of the exits and transitions.",
    lab: 'network',
    view: 'lab',
    scenario: {
      ...world(),
      name: 'Cluster of 3, 10 GbE IMIX',
      networks: [{ vm: 'vm1', strategy: 'cluster', clusterPackets: 3, traffic: imixLineRate, durationMs: 4 }],
    },
  },
  {
    id: 'net-trickle-bound',
    title: 'The wait bound rescues a trickle',
    teaches:
      'At 1,500 packets a second three packets take 2 ms to gather; a guest busy computing never idles, so the 1 ms bound, not the count, sends each cluster.',
    lab: 'network',
    view: 'lab',
    scenario: {
      ...world(),
      name: 'A trickle with a 1 ms bound',
      networks: [
        {
          vm: 'vm1',
          strategy: 'cluster',
          triggers: ['count', 'ring-full', 'exit'],
          traffic: { kind: 'constant', packetsPerSec: 1500, sizeBytes: 594, flows: 2 },
          durationMs: 40,
        },
      ],
    },
  },
  {
    id: 'net-event-idx',
    title: 'EVENT_IDX suppression',
    teaches:
      'With VIRTIO_RING_F_EVENT_IDX the guest kicks only when vring_need_event says the vhost thread asked to hear of that index; while it polls, kicks are suppressed.',
    lab: 'network',
    view: 'lab',
    scenario: {
      ...world(),
      name: 'virtio EVENT_IDX, 10 GbE IMIX',
      networks: [{ vm: 'vm1', strategy: 'event-idx', traffic: imixLineRate, durationMs: 4 }],
    },
  },
  {
    id: 'net-offload',
    title: 'Offloading on a 2-CPU host',
    teaches:
      'With offload another host CPU, woken at the cost of a cross-CPU wake-up, drains the shared region and posts the interrupts: the vCPU is rarely interrupted to ask for a VMM action.',
    lab: 'network',
    view: 'lab',
    scenario: {
      ...world(2),
      name: 'Clustering with offload, both directions',
      networks: [
        { vm: 'vm1', direction: 'both', strategy: 'cluster', offload: true, traffic: imixLineRate, durationMs: 3 },
      ],
    },
  },
  {
    id: 'net-burst-fills-ring',
    title: 'A burst that fills the ring',
    teaches:
      'Bursts of 64-byte frames at line rate (14.88 M a second) arrive faster than one interrupt per packet can take them: the receive ring fills and frames are dropped, counted with their reason.',
    lab: 'network',
    view: 'lab',
    scenario: {
      ...world(),
      name: 'Receive bursts into a 256-entry ring',
      networks: [
        {
          vm: 'vm1',
          direction: 'rx',
          strategy: 'per-packet',
          traffic: { kind: 'bursty', packetsPerSec: 14_880_000, sizeBytes: 64, flows: 2, onMs: 0.2, offMs: 1.8 },
          durationMs: 6,
        },
      ],
    },
  },
  {
    id: 'net-patent-era',
    title: "The patent's era: a 22.7 us world switch",
    teaches:
      'When each VMM-to-kernel transition cost a hosted world switch of 22.7 us (Sugerman et al. 2001), per-packet transmit managed 40 k packets a second; clustering multiplied it.',
    lab: 'network',
    view: 'compare',
    compare: ['per-packet', 'cluster-3', 'cluster-8', 'cluster-offload'],
    scenario: {
      ...world(),
      name: 'Hosted VMM, 22.7 us transitions',
      networks: [
        {
          vm: 'vm1',
          strategy: 'cluster',
          costs: { transitionNs: 22_700 },
          traffic: { kind: 'imix', packetsPerSec: 200_000, flows: 4 },
          durationMs: 10,
        },
      ],
    },
  },
  {
    id: 'net-compare',
    title: 'Four strategies and the cluster sweep',
    teaches:
      'The same VM, traffic and seed: exits per packet fall and latency rises as the cluster grows; event-idx and the timer sit between per-packet and clustering.',
    lab: 'network',
    view: 'compare',
    compare: [
      'per-packet',
      'event-idx',
      'timer',
      'cluster',
      'cluster-offload',
      'cluster-1',
      'cluster-2',
      'cluster-8',
      'cluster-32',
    ],
    scenario: {
      ...world(),
      name: 'Strategies at 1 M packets a second',
      networks: [
        {
          vm: 'vm1',
          strategy: 'cluster',
          traffic: { kind: 'imix', packetsPerSec: 1_000_000, flows: 4 },
          durationMs: 4,
        },
      ],
    },
  },
];
