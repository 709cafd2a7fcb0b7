import type { Side } from '../model';
import type { NetRun } from '../run';
import type { Trigger } from '../schema';
import { predictRxPending } from './napi';
import { minTrig, NEVER, nextTick, type Planned, trig, walkPosts } from './plan';

/**
 * The patent (US9804904B2): packets stay in the shared region until a trigger (the cluster is
 * big enough, the ring is nearly full, the VM exits anyway, the vCPU idles), then go as one
 * group; none waits past `maxWaitUs`. With `offload` another CPU drains the region.
 */
export const cluster = {
  id: 'cluster' as const,
  label: 'Cluster (patent)',
  txNext(run: NetRun, now: number): Planned | null {
    const tx = run.tx as Side;
    const { onExit, onIdle, threshold, countTrigger, boundNs, tickNs, idleNs } = txRules(run);
    const room = run.txRoom();
    const pending = tx.pending;
    const exitingNow = onExit && run.lastExitNs === now && pending > 0;
    let oldest = pending > 0 ? tx.tReady[tx.oldestPendingId()] : NEVER;
    // The earliest trigger so far; on a tie the one found first wins.
    let bestT = NEVER;
    let best: Trigger = 'bound';
    let packets = pending;
    // Each trigger as it would stand once `count` packets are queued, the last posted at `at`.
    for (let k = -1, free = run.vcpuFreeNs; k < Math.min(room, threshold); k++) {
      let count = pending;
      let at = now;
      let nextOffer: number;
      if (k < 0) {
        if (pending === 0) continue;
        nextOffer = tx.source.peekTime(0);
      } else {
        // The guest's k-th future post, as walkPosts makes it: at max(offered, vCPU free).
        const offered = tx.source.peekTime(k);
        if (offered === NEVER) break;
        at = Math.max(offered, free);
        free = at + run.copyNs(tx.source.peekSize(k));
        nextOffer = tx.source.peekTime(k + 1);
        if (at >= bestT) break;
        if (oldest === NEVER) oldest = at;
        count = pending + k + 1;
      }
      let t = oldest + boundNs;
      if (t < bestT) {
        bestT = t;
        best = 'bound';
      }
      t = onExit ? nextTick(oldest, tickNs) : NEVER;
      if (t < bestT) {
        bestT = t;
        best = 'exit';
      }
      if (exitingNow && now < bestT) {
        bestT = now;
        best = 'exit';
      }
      if (count >= threshold && at < bestT) {
        bestT = at;
        best = countTrigger;
      }
      if (onIdle && count > 0 && nextOffer - at > idleNs && at < bestT) {
        bestT = at;
        best = 'idle';
      }
      if (k >= 0 && bestT <= at) {
        packets = count;
        break;
      }
    }
    if (bestT === NEVER) return null;
    bestT = Math.max(bestT, now);
    if (packets === pending) packets = pending + countBy(run, bestT, room);
    if (run.nic.room === 0) bestT = Math.max(bestT, run.nextWireDoneNs());
    return { t: bestT, event: { type: 'net.flush', net: run.index, dir: 'tx', trigger: best, packets } };
  },
  rxNext(run: NetRun, now: number): Planned | null {
    const rx = run.rx as Side;
    if (rx.consumerBusy) return null;
    const cfg = run.cfg;
    const on = (t: string) => cfg.triggers.includes(t as never);
    const pending = rx.pending;
    const first = pending > 0 ? rx.tReady[rx.oldestPendingId()] : rx.source.peekTime(0);
    if (first === NEVER) return null;
    const threshold = Math.min(
      on('count') ? cfg.clusterPackets : rx.num,
      on('ring-full') ? rx.num - (rx.num >> 3) : rx.num,
    );
    const byCount = pending >= threshold ? now : rx.source.peekTime(threshold - pending - 1);
    const best = minTrig(
      trig(first + Math.round(cfg.maxWaitUs * 1000), 'bound'),
      on('exit') ? trig(nextTick(first, Math.round(cfg.tickUs * 1000)), 'exit') : trig(NEVER, 'exit'),
      on('exit') && run.lastExitNs === now && pending > 0 ? trig(now, 'exit') : trig(NEVER, 'exit'),
      trig(byCount, threshold === cfg.clusterPackets && on('count') ? 'count' : 'ring-full'),
    );
    const t = Math.max(now, best.t);
    return {
      t,
      event: {
        type: 'net.interrupt',
        net: run.index,
        dir: 'rx',
        trigger: best.trigger,
        packets: predictRxPending(run, t),
      },
    };
  },
};

interface TxRules {
  onExit: boolean;
  onIdle: boolean;
  threshold: number;
  countTrigger: Trigger;
  boundNs: number;
  tickNs: number;
  idleNs: number;
}

/** The transmit triggers as a network's settings fix them, worked out once per network (planning runs per event). */
const txRulesOf = new WeakMap<NetRun, TxRules>();

function txRules(run: NetRun): TxRules {
  let rules = txRulesOf.get(run);
  if (rules === undefined) {
    const cfg = run.cfg;
    const num = (run.tx as Side).num;
    const triggers = cfg.triggers;
    const onCount = triggers.includes('count');
    const threshold = Math.min(
      onCount ? cfg.clusterPackets : num,
      triggers.includes('ring-full') ? num - (num >> 3) : num,
    );
    rules = {
      onExit: triggers.includes('exit'),
      onIdle: triggers.includes('idle'),
      threshold,
      countTrigger: threshold === cfg.clusterPackets && onCount ? 'count' : 'ring-full',
      boundNs: Math.round(cfg.maxWaitUs * 1000),
      tickNs: Math.round(cfg.tickUs * 1000),
      idleNs: cfg.idleUs * 1000,
    };
    txRulesOf.set(run, rules);
  }
  return rules;
}

function countBy(run: NetRun, t: number, room: number): number {
  let n = 0;
  walkPosts(run, room, (_k, at) => {
    if (at > t) return true;
    n++;
    return false;
  });
  return n;
}
