import { PAGE_SIZE } from '../hw/guestMemory';
import type { Nanos } from '../kernel/clock';
import type { MigrationRun, MigrationStatus, RoundStat } from './model';

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
  /**
   * Downtime if the VM stopped now: what must still cross before it can resume (the queued
   * pages for pre-copy and stop-and-copy; for post-copy and hybrid only dirty disk blocks),
   * plus the device state, at the measured bandwidth, plus a latency; once stopped, the downtime so
   * far is added. Once resumed: the downtime.
   */
  expectedDowntimeMs: number;
  /** Throughput of the stream so far, megabits per second (bytes whose sending has finished). */
  mbps: number;
  postcopyRequests: number;
  postcopyStallMs: number;
  cpuThrottlePercentage: number;
  xbzrle: { cacheMiss: number; overflow: number; encodingRate: number; bytes: number; pages: number };
  rounds: RoundStat[];
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
    expectedDowntimeMs: run.terminal || run.resumed ? downtimeMs : expectedDowntimeMs(run, now),
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
    },
    rounds: s.rounds.slice(),
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
 * Before resume: the downtime so far (if stopped) plus what must still cross before the VM
 * can resume, at the measured bandwidth, plus a latency. Also what the downtime breakpoint watches.
 */
export function expectedDowntimeMs(run: MigrationRun, now: Nanos): number {
  const s = run.s;
  const pages = (run.demandPaged ? 0 : run.toSend.count()) + run.toSendDisk.count();
  const bytes = pages * PAGE_SIZE + (s.deviceSent ? 0 : run.deviceState.length);
  const bandwidth = s.lastBandwidth || run.link.shareFor(run.capBytesPerSecond);
  const stoppedNs = run.stopped && run.vm.state === 'paused' ? now - s.stopNs : 0;
  return (stoppedNs + (bytes / bandwidth) * 1e9 + run.link.latencyNs) / 1e6;
}

/** Bytes on the wire whose sending has finished by `now` (a chunk still being serialized does not count yet). */
function sentBytes(run: MigrationRun, now: Nanos): number {
  let unsent = 0;
  for (const chunk of run.s.chunks) if (chunk.sentNs > now) unsent += chunk.wireBytes;
  return run.s.transferredBytes - unsent;
}
