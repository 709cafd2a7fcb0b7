import type { NetRun } from './run';

/**
 * Every packet offered was delivered once, in order per flow, with its bytes intact (checked
 * by the receiver on the bytes), or counted as dropped; packets still in flight are neither.
 */
export function verifyNetwork(run: NetRun): { ok: boolean; problem: string } {
  for (const s of run.sides) {
    if (s.checker.errors > 0) return { ok: false, problem: s.checker.firstError };
    const inFlight = s.stats.offered - s.stats.delivered - s.stats.droppedRingFull;
    if (inFlight < 0) return { ok: false, problem: `${s.dir}: more delivered and dropped than offered` };
  }
  return { ok: true, problem: '' };
}
