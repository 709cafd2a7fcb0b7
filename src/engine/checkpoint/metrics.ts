import type { Nanos } from '../kernel/clock';
import type { CheckpointRun, CheckpointStatus, EpochStat } from './model';
import { plugCounters } from './output';

/** A protected VM's figures (what `--json` prints under `checkpoints`). */
export interface CheckpointMetrics {
  vm: string;
  backup: string;
  strategy: string;
  status: Exclude<CheckpointStatus, 'pending' | 'syncing'> | 'protecting';
  epochs: number;
  stunMs: { mean: number; p99: number; max: number };
  /** Time the VM did no work because of checkpointing, as a share of the protected time. */
  slowdownPct: number;
  bytesPerEpoch: { mean: number; max: number };
  pagesPerEpoch: number;
  fullPages: number;
  deltaPages: number;
  /** Pages sent before their epoch's stun (the patent's early send). */
  pagesSentWhileRunning: number;
  bytesSavedPct: number;
  outputDelayMs: { p50: number; p99: number; max: number };
  packetsReleased: number;
  packetsHeldNow: number;
  /** sch_plug's counters. */
  plug: { pktsCurrentEpoch: number; pktsLastEpoch: number; pktsToRelease: number };
  responsesLostOnFailover: number;
  failoverMs: number;
  lostAckedBytes: number;
  verifiedCheckpoints: number;
  mismatchedPages: number;
  /** Checkpoints committed on the backup, and the newest acknowledged to the primary. */
  committed: number;
  acked: number;
  /** After a failover: the VM's memory equals the primary's at the last committed checkpoint. */
  verifiedFailover: boolean | null;
  note: string;
}

export function checkpointMetrics(run: CheckpointRun, now: Nanos): CheckpointMetrics {
  const s = run.s;
  const sent = s.epochs.filter((e) => e.sentNs >= 0);
  const stuns = s.epochs.map((e) => (e.resumeNs - e.stunNs) / 1e6);
  const stunnedNs = s.stunnedNs + (s.stunning ? now - s.stunStartNs : 0);
  const protectedEnd = s.endNs >= 0 ? Math.min(s.endNs, now) : now;
  const protectedNs = s.syncedNs >= 0 ? protectedEnd - s.syncedNs : 0;
  const bytes = sent.map((e) => e.bytes);
  const raw = sum(sent, (e) => e.rawBytes);
  const plug = plugCounters(run, now);
  return {
    vm: run.vm.id,
    backup: run.config.backup,
    strategy: run.strategy,
    status: s.status === 'pending' || s.status === 'syncing' ? 'protecting' : s.status,
    epochs: s.epochs.length,
    stunMs: { mean: mean(stuns), p99: percentile(stuns, 0.99), max: max(stuns) },
    slowdownPct: protectedNs > 0 ? (100 * stunnedNs) / protectedNs : 0,
    bytesPerEpoch: { mean: mean(bytes), max: max(bytes) },
    pagesPerEpoch: mean(sent.map((e) => e.pages)),
    fullPages: sum(sent, (e) => e.fullPages),
    deltaPages: sum(sent, (e) => e.deltaPages),
    pagesSentWhileRunning: s.pagesSentWhileRunning,
    bytesSavedPct: raw > 0 ? (100 * (raw - sum(sent, (e) => e.fullBytes + e.diffBytes))) / raw : 0,
    outputDelayMs: {
      p50: percentile(s.delaysUs, 0.5) / 1000,
      p99: percentile(s.delaysUs, 0.99) / 1000,
      max: max(s.delaysUs) / 1000,
    },
    packetsReleased: s.released,
    packetsHeldNow: plug.pktsLastEpoch + plug.pktsCurrentEpoch,
    plug,
    responsesLostOnFailover: s.responsesLostOnFailover,
    failoverMs: s.failoverMs,
    lostAckedBytes: s.lostAckedBytes,
    verifiedCheckpoints: s.verifiedCheckpoints,
    mismatchedPages: s.mismatchedPages,
    committed: Math.max(0, s.committed),
    acked: Math.max(0, s.acked),
    verifiedFailover: s.verifiedFailover,
    note: s.note,
  };
}

function sum(list: EpochStat[], f: (e: EpochStat) => number): number {
  let n = 0;
  for (const e of list) n += f(e);
  return n;
}

function max(xs: readonly number[]): number {
  let m = 0;
  for (const x of xs) if (x > m) m = x;
  return m;
}

function mean(xs: number[]): number {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0;
}

/** Nearest-rank percentile. */
export function percentile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return 0;
  const sorted = Float64Array.from(xs).sort();
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}
