import type { SimEvent } from '../../kernel/eventQueue';
import type { Side } from '../model';
import type { NetRun } from '../run';
import type { Trigger } from '../schema';

/**
 * The next thing a network does, decided in full before it happens (nothing else changes its
 * state): the event as it will be scheduled (`net` is the network's index).
 */
export interface Planned {
  t: number;
  event: SimEvent;
}

export const NEVER = Number.POSITIVE_INFINITY;

/** The earlier of two plans that will happen (a tie keeps `a`). */
export function earlier(a: Planned | null, b: Planned | null): Planned | null {
  return b && b.t < NEVER && (!a || b.t < a.t) ? b : a;
}

/**
 * The transmit group leaving the wire next. A delivery event names only its packet count: the
 * event stream lists each packet's flow, sequence and bytes (see eventLines.ts).
 */
export function txDeliver(run: NetRun): Planned | null {
  const t = run.nextWireDoneNs();
  if (t === NEVER) return null;
  return { t, event: { type: 'net.deliver', net: run.index, dir: 'tx', packets: run.packetsInNextGroup() } };
}

/** The receive round the guest finishes next. */
export function rxDeliver(run: NetRun): Planned | null {
  const rx = run.rx as Side;
  if (!rx.consumerBusy) return null;
  return { t: rx.consumerFreeNs, event: { type: 'net.deliver', net: run.index, dir: 'rx', packets: rx.roundPackets } };
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
