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
    const cfg = run.cfg;
    const on = (t: string) => cfg.triggers.includes(t as never);
    const threshold = Math.min(
      on('count') ? cfg.clusterPackets : tx.num,
      on('ring-full') ? tx.num - (tx.num >> 3) : tx.num,
    );
    const boundNs = Math.round(cfg.maxWaitUs * 1000);
    const tickNs = Math.round(cfg.tickUs * 1000);
    const room = run.txRoom();
    let oldest = tx.pending > 0 ? tx.tReady[tx.oldestPendingId()] : NEVER;
    let best = { t: NEVER, trigger: 'bound' as Trigger };
    let packets = tx.pending;
    const consider = (count: number, at: number, nextOffer: number) => {
      const countTrigger: Trigger = threshold === cfg.clusterPackets && on('count') ? 'count' : 'ring-full';
      best = minTrig(
        best,
        trig(oldest + boundNs, 'bound'),
        on('exit') ? trig(nextTick(oldest, tickNs), 'exit') : best,
        on('exit') && run.lastExitNs === now && tx.pending > 0 ? trig(now, 'exit') : best,
        count >= threshold ? trig(at, countTrigger) : best,
        on('idle') && count > 0 && nextOffer - at > cfg.idleUs * 1000 ? trig(at, 'idle') : best,
      );
    };
    if (tx.pending > 0) consider(tx.pending, now, tx.source.peekTime(0));
    walkPosts(run, Math.min(room, threshold), (k, at, nextOffer) => {
      if (at >= best.t) return true;
      if (oldest === NEVER) oldest = at;
      consider(tx.pending + k + 1, at, nextOffer);
      if (best.t <= at) {
        packets = tx.pending + k + 1;
        return true;
      }
      return false;
    });
    if (best.t === NEVER) return null;
    best.t = Math.max(best.t, now);
    if (packets === tx.pending) packets = tx.pending + countBy(run, best.t, room);
    if (run.nic.room === 0) best.t = Math.max(best.t, run.nextWireDoneNs());
    return { t: best.t, type: 'net.flush', fields: { dir: 'tx', trigger: best.trigger, packets } };
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
      type: 'net.interrupt',
      fields: { dir: 'rx', trigger: best.trigger, packets: predictRxPending(run, t) },
    };
  },
};

function countBy(run: NetRun, t: number, room: number): number {
  let n = 0;
  walkPosts(run, room, (_k, at) => {
    if (at > t) return true;
    n++;
    return false;
  });
  return n;
}
