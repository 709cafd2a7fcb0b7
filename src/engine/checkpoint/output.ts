import { PAGE_SIZE, PAGE_WORDS } from '../hw/guestMemory';
import type { Nanos } from '../kernel/clock';
import type { CheckpointRun } from './model';

/**
 * The VM's clients: requests arrive evenly at `requestsPerSec`; the guest answers each at once
 * if it runs (a request that arrives during a stun is answered at resume). With output commit,
 * responses wait in an output buffer that behaves like Linux's plug qdisc [net/sched/sch_plug.c]:
 * each stun marks an epoch boundary (TCQ_PLUG_BUFFER), each acknowledgement releases the
 * responses up to the next boundary (TCQ_PLUG_RELEASE_ONE).
 */
export function produceResponses(run: CheckpointRun, until: Nanos): void {
  const s = run.s;
  const rate = run.config.traffic.requestsPerSec;
  if (rate <= 0 || s.trafficStartNs < 0) return;
  for (;;) {
    const arrival = s.trafficStartNs + Math.floor((s.nextRequest * 1e9) / rate);
    if (arrival >= until) return;
    s.nextRequest++;
    s.seq++;
    const produced = Math.max(arrival, s.epochStartNs);
    if (run.config.outputCommit) s.current.push(produced);
    else {
      // No output commit: the response leaves at once, and the client sees it.
      s.released++;
      s.responsesSeenByClients++;
      s.delaysUs.push(0);
    }
  }
}

/** The stun: the guest's NIC state (responses produced, the last payload's hash) goes into the checkpoint. */
export function recordDeviceState(run: CheckpointRun, epoch: number): void {
  const words = new Uint32Array(run.device.buffer);
  words[0] = run.s.seq;
  words[1] = run.s.seq > 0 ? payloadHash(run, run.s.seq - 1) : 0;
  words[2] = epoch;
}

/** A response's payload is `responseBytes` of guest memory (page seq mod pages): its FNV-1a hash over words. */
export function payloadHash(run: CheckpointRun, seq: number): number {
  const page = seq % run.vm.memory.pages;
  const words = Math.min(PAGE_WORDS, Math.ceil(Math.min(run.config.traffic.responseBytes, PAGE_SIZE) / 4));
  const mem = run.vm.memory.words;
  let h = 0x811c9dc5;
  for (let k = page * PAGE_WORDS, end = k + words; k < end; k++) h = Math.imul(h ^ mem[k], 0x01000193);
  return h >>> 0;
}

/** Responses the backup's copy of the NIC says were produced (what a failed-over VM knows it sent). */
export function backupSeq(run: CheckpointRun): number {
  return new Uint32Array(run.backupDevice.buffer)[0];
}

/** TCQ_PLUG_BUFFER: the responses of the epoch just ended wait behind a boundary. */
export function sealEpoch(run: CheckpointRun, epoch: number): number {
  const s = run.s;
  const count = s.current.length;
  if (run.config.outputCommit) s.held.push({ epoch, produced: s.current, firstSeq: s.seq - count });
  s.current = [];
  return count;
}

/** TCQ_PLUG_RELEASE_ONE: the batch of `epoch` reaches the clients now. Returns how many responses. */
export function releaseEpoch(run: CheckpointRun, epoch: number, now: Nanos): number {
  const s = run.s;
  const i = s.held.findIndex((b) => b.epoch === epoch);
  if (i < 0) return 0;
  const [batch] = s.held.splice(i, 1);
  for (const t of batch.produced) s.delaysUs.push((now - t) / 1000);
  s.released += batch.produced.length;
  s.responsesSeenByClients += batch.produced.length;
  s.releasedBatches++;
  return batch.produced.length;
}

/** Responses produced since the last epoch boundary, as of `now` (without producing them). */
export function currentResponses(run: CheckpointRun, now: Nanos): number {
  const s = run.s;
  const rate = run.config.traffic.requestsPerSec;
  let n = s.current.length;
  if (rate <= 0 || s.trafficStartNs < 0 || s.stunning || !run.protecting) return n;
  for (let k = s.nextRequest; s.trafficStartNs + Math.floor((k * 1e9) / rate) < now; k++) n++;
  return n;
}

/** sch_plug's three counters as of now. */
export function plugCounters(
  run: CheckpointRun,
  now: Nanos,
): {
  pktsCurrentEpoch: number;
  pktsLastEpoch: number;
  pktsToRelease: number;
} {
  return {
    pktsCurrentEpoch: run.config.outputCommit ? currentResponses(run, now) : 0,
    pktsLastEpoch: run.s.held.reduce((n, b) => n + b.produced.length, 0),
    // Released responses are dequeued at once: none wait between RELEASE_ONE and the wire.
    pktsToRelease: 0,
  };
}
