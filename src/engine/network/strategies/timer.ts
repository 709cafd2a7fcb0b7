import type { Side } from '../model';
import type { NetRun } from '../run';
import { napiInterrupt } from './napi';
import { NEVER, type Planned, walkPosts } from './plan';

/** QEMU virtio-net tx=timer: a kick arms a timer; the flush comes after `timerUs` or `txBurst` packets. */
export const timer = {
  id: 'timer' as const,
  label: 'QEMU tx timer',
  txNext(run: NetRun): Planned | null {
    const tx = run.tx as Side;
    if (tx.notifyOn) {
      const t = run.nextPostNs();
      return t === NEVER ? null : { t, event: { type: 'net.kick', net: run.index, dir: 'tx', packets: 1 } };
    }
    const burst = run.cfg.txBurst;
    let t = tx.timerAt;
    let trigger = 'timer';
    let packets = tx.pending;
    const room = run.txRoom();
    if (tx.pending >= burst) {
      t = Math.min(t, run.vcpuFreeNs);
      trigger = 'burst';
    } else
      walkPosts(run, Math.min(burst - tx.pending, room), (k, ready) => {
        if (ready > tx.timerAt) return true;
        packets = tx.pending + k + 1;
        if (packets >= burst) {
          t = ready;
          trigger = 'burst';
          return true;
        }
        return false;
      });
    if (trigger === 'timer') packets = tx.pending + countPostsBy(run, t, room);
    if (run.nic.room === 0) t = Math.max(t, run.nextWireDoneNs());
    return {
      t,
      event: {
        type: 'net.flush',
        net: run.index,
        dir: 'tx',
        trigger,
        packets: Math.min(packets, burst, run.nic.room || packets),
      },
    };
  },
  rxNext: napiInterrupt,
};

export function countPostsBy(run: NetRun, t: number, room: number): number {
  let n = 0;
  walkPosts(run, room, (_k, ready) => {
    if (ready > t) return true;
    n++;
    return false;
  });
  return n;
}
