import type { Side } from '../model';
import type { NetRun } from '../run';
import type { Trigger } from '../schema';

/** The next thing a network does, decided in full before it happens (nothing else changes its state). */
export interface Planned {
  t: number;
  type: string;
  fields: Record<string, string | number>;
}

export const NEVER = Number.POSITIVE_INFINITY;

export function earliest(...ps: (Planned | null)[]): Planned | null {
  let best: Planned | null = null;
  for (const p of ps) if (p && p.t < NEVER && (!best || p.t < best.t)) best = p;
  return best;
}

/** The transmit group leaving the wire next: its first packet's flow and sequence, its bytes. */
export function txDeliver(run: NetRun): Planned | null {
  const t = run.nextWireDoneNs();
  if (t === NEVER) return null;
  const nic = run.nic;
  const n = run.packetsInNextGroup();
  let bytes = 0;
  for (let k = nic.head; k < nic.head + n; k++) bytes += nic.len[k % nic.cap];
  const first = nic.head % nic.cap;
  return {
    t,
    type: 'net.deliver',
    fields: { dir: 'tx', flow: nic.flow[first], seq: nic.seq[first], bytes, packets: n },
  };
}

/** The receive round the guest finishes next. */
export function rxDeliver(run: NetRun): Planned | null {
  const rx = run.rx as Side;
  if (!rx.consumerBusy) return null;
  const id = rx.oldestPendingId();
  return {
    t: rx.consumerFreeNs,
    type: 'net.deliver',
    fields: {
      dir: 'rx',
      flow: rx.flow[id],
      seq: rx.seq[id],
      bytes: run.pendingRxBytes(rx.roundPackets),
      packets: rx.roundPackets,
    },
  };
}

/**
 * Future guest posts, as the guest would make them with nothing else happening: each at
 * max(offered, vCPU free), taking the vCPU for its copy. Calls `visit(k, postNs, nextOfferNs)`
 * until it returns true; gives up after `limit` posts.
 */
export function walkPosts(
  run: NetRun,
  limit: number,
  visit: (k: number, ready: number, nextOffer: number) => boolean,
): void {
  const src = (run.tx as Side).source;
  let free = run.vcpuFreeNs;
  for (let k = 0; k < limit; k++) {
    const t = src.peekTime(k);
    if (t === NEVER) return;
    const at = Math.max(t, free);
    free = at + run.copyNs(src.peekSize(k));
    if (visit(k, at, src.peekTime(k + 1))) return;
  }
}

/** Options a cluster trigger is computed from, shared by transmit and receive. */
export interface ClusterTriggers {
  count: number;
  boundNs: number;
  tickNs: number;
  triggers: readonly string[];
}

export function nextTick(t: number, tickNs: number): number {
  return Math.ceil(t / tickNs) * tickNs;
}

export function trig(t: number, trigger: Trigger): { t: number; trigger: Trigger } {
  return { t, trigger };
}

export function minTrig(...xs: { t: number; trigger: Trigger }[]): { t: number; trigger: Trigger } {
  let best = xs[0];
  for (const x of xs) if (x.t < best.t) best = x;
  return best;
}
