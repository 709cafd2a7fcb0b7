import { vringNeedEvent } from '../../hw/virtioRing';
import type { Side } from '../model';
import type { NetRun } from '../run';
import { napiInterrupt } from './napi';
import { earlier, NEVER, type Planned } from './plan';

/** vhost-net handles at most 256 packets per run [linux drivers/vhost/net.c]. */
const VHOST_BATCH = 256;

/**
 * virtio with VIRTIO_RING_F_EVENT_IDX: the guest kicks only when vring_need_event says the
 * backend (a vhost thread on another CPU) asked to hear of this index; while it polls, the
 * kicks are suppressed. Receive: NAPI polling with coalescing.
 */
export const eventIdx = {
  id: 'event-idx' as const,
  label: 'virtio EVENT_IDX',
  txNext(run: NetRun): Planned | null {
    const tx = run.tx as Side;
    let backend: Planned | null = null;
    if (tx.consumerBusy) {
      const pending = tx.pending;
      if (pending === 0) backend = { t: tx.consumerFreeNs, event: { type: 'net.notify', net: run.index, dir: 'tx' } };
      else if (run.nic.room > 0)
        backend = {
          t: tx.consumerFreeNs,
          event: {
            type: 'net.flush',
            net: run.index,
            dir: 'tx',
            trigger: tx.roundTrigger,
            packets: Math.min(pending, run.nic.room, VHOST_BATCH),
          },
        };
      else
        backend = {
          t: Math.max(tx.consumerFreeNs, run.nextWireDoneNs()),
          event: {
            type: 'net.flush',
            net: run.index,
            dir: 'tx',
            trigger: 'poll',
            packets: Math.min(pending, VHOST_BATCH),
          },
        };
    }
    return earlier(backend, nextPost(run));
  },
  rxNext: napiInterrupt,
};

/** The guest's next post: a kick if vring_need_event says the backend asked for this index. */
function nextPost(run: NetRun): Planned | null {
  const tx = run.tx as Side;
  const t = run.nextPostNs();
  if (t === NEVER) return null;
  if (run.txRoom() <= 0) return { t, event: { type: 'net.drop', net: run.index, dir: 'tx' } };
  const idx = tx.ring.availIdx;
  const kick = !tx.consumerBusy && vringNeedEvent(tx.ring.availEvent, (idx + 1) & 0xffff, idx);
  return { t, event: { type: kick ? 'net.kick' : 'net.kick.suppressed', net: run.index, dir: 'tx', packets: 1 } };
}
