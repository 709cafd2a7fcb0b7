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
  expectedDowntimeMs: number;
  /** Throughput of the stream, megabits per second. */
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
  const downNow = run.vm.state === 'paused' && s.stopNs > 0 && !run.terminal && s.resumeNs === 0 ? now - s.stopNs : 0;
  const remainingBytes = run.terminal ? 0 : (run.toSend.count() + run.toSendDisk.count()) * PAGE_SIZE;
  const bandwidth = s.lastBandwidth || run.link.shareFor(run.capBytesPerSecond);
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
    downtimeMs: (s.downtimeNs + downNow) / 1e6,
    setupTimeMs: s.setupEndNs > 0 ? (s.setupEndNs - s.startNs) / 1e6 : 0,
    transferredBytes: s.transferredBytes,
    remainingBytes,
    duplicatePages: s.duplicatePages,
    normalPages: s.normalPages,
    dirtySyncCount: s.dirtySyncCount,
    dirtyPagesRate: s.lastDirtyRate,
    expectedDowntimeMs: (remainingBytes / bandwidth) * 1000,
    mbps: total > 0 ? (s.transferredBytes * 8) / 1e6 / (total / 1e9) : 0,
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
