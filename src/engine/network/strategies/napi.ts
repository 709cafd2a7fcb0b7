import type { Side } from '../model';
import type { NetRun } from '../run';
import { NEVER, type Planned } from './plan';

/** Receive with NAPI polling and NIC coalescing (`usecs` after the first frame, or `frames` frames). */
export function napiInterrupt(run: NetRun, now: number): Planned | null {
  const rx = run.rx as Side;
  if (rx.consumerBusy) return null;
  const { usecs, frames } = run.cfg.coalesce;
  const pending = rx.pending;
  const first = pending > 0 ? rx.tReady[rx.oldestPendingId()] : rx.source.peekTime(0);
  if (first === NEVER) return null;
  const byTime = first + Math.round(usecs * 1000);
  const byFrames = pending >= frames ? now : rx.source.peekTime(frames - pending - 1);
  const t = Math.max(now, Math.min(byTime, byFrames));
  return {
    t,
    event: { type: 'net.interrupt', net: run.index, dir: 'rx', trigger: 'coalesce', packets: predictRxPending(run, t) },
  };
}

/** Packets pending for the guest at `t` if nothing else happens first (arrivals fill free buffers). */
export function predictRxPending(run: NetRun, t: number): number {
  const rx = run.rx as Side;
  let arrivals = 0;
  const room = run.rxRoom();
  while (arrivals < room && rx.source.peekTime(arrivals) <= t) arrivals++;
  return rx.pending + arrivals;
}
