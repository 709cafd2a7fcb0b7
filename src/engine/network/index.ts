import { vringSize } from '../hw/virtioRing';
import { defineMechanism } from '../mechanismDefinition';
import { sectionOf, type WorldScenario } from '../scenario/fields';
import { NETWORK_BREAKPOINTS } from './breakpoints';
import { deliveredPackets } from './eventLines';
import { inspectSlot } from './inspect';
import { NETWORK_LESSONS } from './lessons';
import { NetworkMechanism } from './mechanism';
import { networkMetrics } from './metrics';
import { SLOT_BYTES } from './payload';
import { NETWORK_PRESETS } from './presets';
import { NETWORK_REPORT } from './report';
import { checkNetworks, NetStrategySchema, type NetworkConfig, NetworkSchema } from './schema';
import { STRATEGY_LABELS } from './strategies';
import { networkView, ringTransferables } from './view';

export { NetworkMechanism } from './mechanism';
export type { NetworkMetrics } from './metrics';
export { STRATEGY_LABELS } from './strategies';
export type { NetworkView, RingView } from './view';

/** Extra variants: the cluster size swept, and offload. */
const CLUSTER_SWEEP = [1, 2, 3, 8, 32];

function withFirst(s: WorldScenario, patch: Partial<NetworkConfig>): WorldScenario {
  const [first, ...rest] = networksOf(s);
  return { ...s, networks: [{ ...first, ...patch }, ...rest] };
}

/** High-performance VM networking (US9804904B2): clustering in a shared ring against per-packet and virtio baselines. */
export const network = defineMechanism({
  id: 'network',
  label: 'Networking',
  key: 'networks',
  schema: NetworkSchema,
  crossCheck: (s) => checkNetworks({ vms: s.vms, networks: networksOf(s) }),
  estimateBytes: (s) =>
    networksOf(s).map((n) => ({
      item: `${n.vm}'s rings and packet buffers`,
      bytes: (vringSize(n.ringSize) + n.ringSize * SLOT_BYTES) * 3,
    })),
  install: (world) => new NetworkMechanism(world),
  metrics: (m, now) => m.runs.map((r) => networkMetrics(r, now)),
  view: (m) => networkView(m),
  transferables: ringTransferables,
  eventPrefixes: ['net.'],
  subjectOf: (m, event) => m.runs[event.net as number]?.vm ?? '',
  streamLines: deliveredPackets,
  floodLogKinds: ['net.flush', 'net.interrupt'],
  breakpoints: NETWORK_BREAKPOINTS,
  variants: [
    ...NetStrategySchema.options.map((strategy) => ({
      id: strategy,
      label: STRATEGY_LABELS[strategy],
      apply: (s: WorldScenario) => withFirst(s, { strategy, offload: false }),
    })),
    {
      id: 'cluster-offload',
      label: 'Cluster + offload',
      apply: (s: WorldScenario) => withFirst(s, { strategy: 'cluster', offload: true }),
    },
    ...CLUSTER_SWEEP.map((n) => ({
      id: `cluster-${n}`,
      label: `Cluster of ${n}`,
      apply: (s: WorldScenario) => withFirst(s, { strategy: 'cluster', clusterPackets: n, offload: false }),
    })),
  ],
  presets: NETWORK_PRESETS,
  lessons: NETWORK_LESSONS,
  report: NETWORK_REPORT,
  inspect: (m, query) => inspectSlot(m, query),
});

function networksOf(s: WorldScenario): NetworkConfig[] {
  return sectionOf<NetworkConfig>(s, 'networks');
}
