import { ringDistance } from '../hw/virtioRing';
import type { NetworkMechanism } from './mechanism';
import type { Side } from './model';

/** Slot states drawn on a ring. */
export const SLOT_FREE = 0;
/** Posted (tx) or filled (rx): in the shared region, waiting for its group to go. */
export const SLOT_PENDING = 1;
/** Taken by the consumer, not yet returned to the driver. */
export const SLOT_DONE = 2;

export interface RingView {
  dir: 'tx' | 'rx';
  num: number;
  availIdx: number;
  usedIdx: number;
  /** Device's avail position and driver's used position. */
  lastAvail: number;
  lastUsed: number;
  /** Per descriptor: SLOT_* and the packet's flow (-1 when free). */
  state: Uint8Array;
  flow: Int8Array;
  pending: number;
  /** The newest group: its size and what sent it. */
  lastGroup: { packets: number; trigger: string };
  latency: Uint32Array;
}

export interface NetworkEntryView {
  vm: string;
  strategy: string;
  flows: number;
  rings: RingView[];
  cpus: { cpu: number; now: string }[];
  nicQueued: number;
}

export interface NetworkView {
  nets: NetworkEntryView[];
}

function ringView(s: Side): RingView {
  const lastGroup = { packets: s.stats.lastGroupPackets, trigger: s.stats.lastGroupTrigger };
  const state = new Uint8Array(s.num);
  const flow = new Int8Array(s.num).fill(-1);
  const mark = (from: number, to: number, v: number, read: (pos: number) => number) => {
    for (let p = from; p !== to; p = (p + 1) & 0xffff) {
      const id = read(p);
      state[id] = v;
      flow[id] = s.flow[id];
    }
  };
  if (s.dir === 'tx') {
    mark(s.lastUsed, s.lastAvail, SLOT_DONE, (p) => s.ring.availAt(p));
    mark(s.lastAvail, s.ring.availIdx, SLOT_PENDING, (p) => s.ring.availAt(p));
  } else mark(s.lastUsed, s.ring.usedIdx, SLOT_PENDING, (p) => s.ring.usedIdAt(p));
  return {
    dir: s.dir,
    num: s.num,
    availIdx: s.ring.availIdx,
    usedIdx: s.ring.usedIdx,
    lastAvail: s.lastAvail,
    lastUsed: s.lastUsed,
    state,
    flow,
    pending: s.pending,
    lastGroup,
    latency: s.stats.latency.counts.slice(),
  };
}

export function networkView(m: NetworkMechanism): NetworkView {
  return {
    nets: m.runs.map((r) => {
      const now = m.sim.now;
      return {
        vm: r.vm,
        strategy: r.cfg.strategy + (r.cfg.offload && r.cfg.strategy === 'cluster' ? ' + offload' : ''),
        flows: r.cfg.traffic.flows,
        rings: r.sides.map(ringView),
        cpus: Array.from({ length: r.cpus }, (_, cpu) => ({
          cpu,
          now:
            cpu === 0
              ? r.vcpuFreeNs > now
                ? 'exit / VMM'
                : 'guest'
              : r.backFreeNs > now
                ? 'kernel (backend)'
                : 'idle',
        })),
        nicQueued: r.nic.size,
      };
    }),
  };
}

export function ringTransferables(v: NetworkView): ArrayBuffer[] {
  return v.nets.flatMap((n) =>
    n.rings.flatMap((r) => [r.state.buffer, r.flow.buffer, r.latency.buffer]),
  ) as ArrayBuffer[];
}

export { ringDistance };
