import { popcount } from '../hw/bitmap';
import { PAGE_SIZE } from '../hw/guestMemory';
import { MiB, type Nanos } from '../kernel/clock';
import type { MigrationRun, MigrationStatus, RoundStat } from './model';

/** Why each live round did or did not let pre-copy stop the VM. */
export interface RoundVerdict {
  round: number;
  /** Pages dirtied during the round per page sent in it: under 1 the rounds shrink, at 1 or more they never do. */
  dirtiedPerSent: number;
  /** Pages that fit in the downtime limit at the bandwidth measured over this round: pre-copy's stop threshold. */
  thresholdPages: number;
  /** What the round's closing sync queued fits under the threshold (pre-copy stops the VM after such a round). */
  fits: boolean;
}

/** A migration's figures, named after QEMU's query-migrate fields (camelCase). */
export interface MigrationMetrics {
  vm: string;
  from: string;
  to: string;
  strategy: string;
  status: MigrationStatus;
  totalTimeMs: number;
  downtimeMs: number;
  setupTimeMs: number;
  transferredBytes: number;
  remainingBytes: number;
  duplicatePages: number;
  normalPages: number;
  dirtySyncCount: number;
  /** Pages dirtied per second during the last round. */
  dirtyPagesRate: number;
  /** The same in MiB/s, to set against `bandwidthMiBps`. */
  dirtyRateMiBps: number;
  /** The rate the scenario's workload is configured to write at (MiB/s; 0 for an idle guest). */
  configuredDirtyMiBps: number;
  /** Bandwidth measured over the last pass (before one: the link's share for this stream), MiB/s. */
  bandwidthMiBps: number;
  downtimeLimitMs: number;
  /** Bytes that fit in the downtime limit at `bandwidthMiBps`: QEMU's threshold_size. */
  thresholdBytes: number;
  /**
   * QEMU's dirty_bytes_last_sync: memory still to send right after the last dirty-log sync
   * (before the first sync, all of memory, as QEMU's setup sync marks every page dirty).
   */
  dirtyBytesLastSync: number;
  /**
   * QEMU's expected-downtime (migration_update_counters): dirty bytes at the last sync over the
   * bandwidth. It moves only at a sync, so mid-round it ignores pages dirtied since.
   * Post-copy and hybrid resume before memory has crossed, so for them memory does not count;
   * the device state still to send is added for every strategy (QEMU counts RAM only).
   * Once resumed: the downtime. The downtime breakpoint watches this figure.
   */
  expectedDowntimeMs: number;
  /**
   * Downtime if the VM stopped now: the pages still queued plus those dirtied since the last
   * sync (memory not counted for post-copy and hybrid), dirty disk blocks and the device state,
   * at the bandwidth, plus a latency; once stopped, the downtime so far is added. Once resumed: the downtime.
   */
  downtimeIfStoppedNowMs: number;
  /** A failure after resume left the VM running nowhere: its downtime has no end. */
  stranded: boolean;
  /** How long it has run nowhere so far (0 unless stranded). */
  strandedMs: number;
  /** Throughput of the stream so far, megabits per second (bytes whose sending has finished). */
  mbps: number;
  postcopyRequests: number;
  postcopyStallMs: number;
  cpuThrottlePercentage: number;
  xbzrle: {
    cacheMiss: number;
    overflow: number;
    encodingRate: number;
    bytes: number;
    pages: number;
    /** Wire bytes the deltas saved against sending those pages whole. */
    bytesSaved: number;
  };
  rounds: RoundStat[];
  /** One per live round (the VM running on the source), in order. */
  roundVerdicts: RoundVerdict[];
  /** Pages sent more than once, and the most any page was sent. */
  pagesResent: number;
  maxSendsPerPage: number;
  wpFaults: number;
  diskBlocksSent: number;
  converged: boolean;
  verified: boolean;
  mismatchedPages: number;
  note: string;
}

export function migrationMetrics(run: MigrationRun, now: Nanos): MigrationMetrics {
  const s = run.s;
  const started = s.status !== 'pending';
  const end = run.terminal ? s.endNs : now;
  const total = started ? end - s.startNs : 0;
  // Downtime still running: stopped for the switchover, or stranded by a failure after resume.
  const switchingOver = run.vm.state === 'paused' && run.stopped && !run.resumed && !run.terminal;
  const downNow = switchingOver ? now - s.stopNs : s.strandedNs >= 0 ? now - s.strandedNs : 0;
  const remainingBytes = run.terminal ? 0 : (run.toSend.count() + run.toSendDisk.count()) * PAGE_SIZE;
  const downtimeMs = (s.downtimeNs + downNow) / 1e6;
  const bandwidth = measuredBandwidth(run);
  const settled = run.terminal || run.resumed;
  let resent = 0;
  let maxSends = 0;
  for (let i = 0; i < run.sendCount.length; i++) {
    const n = run.sendCount[i];
    if (n > 1) resent++;
    if (n > maxSends) maxSends = n;
  }
  return {
    vm: run.vm.id,
    from: run.from,
    to: run.config.to,
    strategy: run.strategy,
    status: s.status,
    totalTimeMs: total / 1e6,
    downtimeMs,
    setupTimeMs: s.setupEndNs >= 0 ? (s.setupEndNs - s.startNs) / 1e6 : 0,
    transferredBytes: s.transferredBytes,
    remainingBytes,
    duplicatePages: s.duplicatePages,
    normalPages: s.normalPages,
    dirtySyncCount: s.dirtySyncCount,
    dirtyPagesRate: s.lastDirtyRate,
    dirtyRateMiBps: (s.lastDirtyRate * PAGE_SIZE) / MiB,
    configuredDirtyMiBps: run.vm.config.workload.kind === 'idle' ? 0 : run.vm.config.workload.dirtyMiBps,
    bandwidthMiBps: bandwidth / MiB,
    downtimeLimitMs: run.config.downtimeLimitMs,
    thresholdBytes: bandwidth * (run.config.downtimeLimitMs / 1000),
    dirtyBytesLastSync: dirtyBytesLastSync(run),
    expectedDowntimeMs: settled ? downtimeMs : expectedDowntimeMs(run),
    downtimeIfStoppedNowMs: settled ? downtimeMs : downtimeIfStoppedNowMs(run, now),
    stranded: s.strandedNs >= 0,
    strandedMs: s.strandedNs >= 0 ? (now - s.strandedNs) / 1e6 : 0,
    mbps: total > 0 ? (sentBytes(run, now) * 8) / 1e6 / (total / 1e9) : 0,
    postcopyRequests: s.postcopyRequests,
    postcopyStallMs: s.postcopyStallNs / 1e6,
    cpuThrottlePercentage: s.throttlePct,
    xbzrle: {
      cacheMiss: s.xbzrleCacheMiss,
      overflow: s.xbzrleOverflow,
      encodingRate: s.xbzrleBytes > 0 ? (s.xbzrlePages * PAGE_SIZE) / s.xbzrleBytes : 0,
      bytes: s.xbzrleBytes,
      pages: s.xbzrlePages,
      bytesSaved: s.xbzrlePages * PAGE_SIZE - s.xbzrleBytes,
    },
    rounds: s.rounds.slice(),
    roundVerdicts: roundVerdicts(run),
    pagesResent: resent,
    maxSendsPerPage: maxSends,
    wpFaults: s.wpFaults,
    diskBlocksSent: s.diskBlocksSent,
    converged: s.status === 'completed' && !s.note.startsWith('did not converge'),
    verified: s.verified === true,
    mismatchedPages: s.mismatchedPages,
    note: s.note,
  };
}

/**
 * Whether pre-copy converged: 'yes' when its dirty pages came to fit in the downtime limit,
 * 'no' when it hit its round cap and stopped the VM anyway; 'n/a' for strategies without that
 * test and for a run that did not complete.
 */
export function convergence(m: MigrationMetrics): 'yes' | 'no' | 'n/a' {
  if (m.strategy !== 'precopy' || m.status !== 'completed') return 'n/a';
  return m.converged ? 'yes' : 'no';
}

/** Downtime as a person should read it: a stranded VM has no downtime figure, it runs nowhere. */
export function downtimeText(m: MigrationMetrics, ms: (v: number) => string): string {
  return m.stranded ? `stranded: runs nowhere (${ms(m.strandedMs)} so far)` : ms(m.downtimeMs);
}

/** Bytes per second the next pass can expect: as measured over the last one, else the link's share now. */
function measuredBandwidth(run: MigrationRun): number {
  return run.s.lastBandwidth || run.link.shareFor(run.capBytesPerSecond);
}

/**
 * QEMU's dirty_bytes_last_sync. With syncs at pass ends each pass drains the queue, so right after
 * a sync it holds exactly the pages that round dirtied; a mid-pass sync records what it queued
 * (`pagesQueued`). Before any sync, every page is queued.
 */
export function dirtyBytesLastSync(run: MigrationRun): number {
  let pages = run.pages;
  for (const r of run.s.rounds) if (!r.stopped && !r.push) pages = r.pagesQueued ?? r.pagesDirtied;
  return pages * PAGE_SIZE;
}

/** QEMU's expected-downtime before resume (see `MigrationMetrics.expectedDowntimeMs`); what the downtime breakpoint watches. */
export function expectedDowntimeMs(run: MigrationRun): number {
  const memory = run.demandPaged ? 0 : dirtyBytesLastSync(run);
  const bytes = memory + (run.s.deviceSent ? 0 : run.deviceState.length);
  return (bytes / measuredBandwidth(run)) * 1e3;
}

/** Downtime if the VM stopped now (see `MigrationMetrics.downtimeIfStoppedNowMs`). */
export function downtimeIfStoppedNowMs(run: MigrationRun, now: Nanos): number {
  const s = run.s;
  const notStarted = s.stage === 'waiting' || s.stage === 'setup';
  const disk = run.vm.disk;
  let pages = 0;
  if (!run.demandPaged) pages = notStarted ? run.pages : unionCount(run.toSend.words, run.vm.memory.dirty.words);
  if (run.localStorage && disk) pages += notStarted ? disk.pages : unionCount(run.toSendDisk.words, disk.dirty.words);
  const bytes = pages * PAGE_SIZE + (s.deviceSent ? 0 : run.deviceState.length);
  const stoppedNs = run.stopped && run.vm.state === 'paused' ? now - s.stopNs : 0;
  return (stoppedNs + (bytes / measuredBandwidth(run)) * 1e9 + run.link.latencyNs) / 1e6;
}

/** Pages queued or dirty (a page both queued and dirtied again is sent once). */
function unionCount(a: Uint32Array, b: Uint32Array): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) n += popcount(a[i] | b[i]);
  return n;
}

function roundVerdicts(run: MigrationRun): RoundVerdict[] {
  const limitS = run.config.downtimeLimitMs / 1000;
  return run.s.rounds
    .filter((r) => !r.stopped && !r.push)
    .map((r) => {
      const bandwidth = r.durationMs > 0 ? (r.bytesSent * 1e3) / r.durationMs : measuredBandwidth(run);
      const thresholdPages = (bandwidth * limitS) / PAGE_SIZE;
      return {
        round: r.round,
        dirtiedPerSent: r.pagesSent > 0 ? r.pagesDirtied / r.pagesSent : 0,
        thresholdPages,
        fits: (r.pagesQueued ?? r.pagesDirtied) <= thresholdPages,
      };
    });
}

/** Bytes on the wire whose sending has finished by `now` (a chunk still being serialized does not count yet). */
function sentBytes(run: MigrationRun, now: Nanos): number {
  let unsent = 0;
  for (const chunk of run.s.chunks) if (chunk.sentNs > now) unsent += chunk.wireBytes;
  return run.s.transferredBytes - unsent;
}
