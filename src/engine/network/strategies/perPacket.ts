import type { Side } from '../model';
import type { NetRun } from '../run';
import { NEVER, type Planned } from './plan';

/** Baseline: every packet handed over at once (one exit and one transition each), one interrupt per received packet. */
export const perPacket = {
  id: 'per-packet' as const,
  label: 'Per packet',
  txNext(run: NetRun): Planned | null {
    const t = run.nextPostNs();
    return t === NEVER ? null : { t, event: { type: 'net.kick', net: run.index, dir: 'tx', packets: 1 } };
  },
  rxNext(run: NetRun, now: number): Planned | null {
    const rx = run.rx as Side;
    if (rx.consumerBusy) return null;
    const t = rx.pending > 0 ? Math.max(now, run.vcpuFreeNs) : Math.max(rx.source.peekTime(0), run.vcpuFreeNs);
    return t === NEVER
      ? null
      : { t, event: { type: 'net.interrupt', net: run.index, dir: 'rx', trigger: 'packet', packets: 1 } };
  },
};
