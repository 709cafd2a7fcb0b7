/**
 * vmlab against QEMU itself (docs/qemu-comparison.md). For each guest write rate: boot the
 * guest of bench/qemu-compare.asm in QEMU (TCG, two processes on loopback, max-bandwidth
 * 32 MiB/s, downtime-limit 300 ms), migrate it and read query-migrate; then run vmlab on the
 * same VM at the rate the guest was measured to write, under both sync policies, and print the
 * figures side by side. Needs qemu-system-x86 and nasm (Debian packages); not part of npm test.
 *
 *   npx tsx bench/qemu-compare.ts [pagesPerTick ...]     (default 1 4 8: 1000, 4000, 8000 pages/s)
 */
import { PAGE_SIZE } from '../src/engine/hw/guestMemory';
import { MiB } from '../src/engine/kernel/clock';
import type { MigrationMetrics } from '../src/engine/migration';
import { ScenarioRun } from '../src/engine/run';
import { resolveScenario } from '../src/engine/scenario/validate';
import { type QemuFigures, runQemu } from './qemu-compare.qemu';

const MEMORY_MIB = 128;
const CAP_MIBPS = 32;
const LIMIT_MS = 300;
/** A run still going after this long is called non-converging (QEMU's is cancelled, vmlab's cut). */
const TIMEOUT_MS = 20_000;
/** vmlab's device state: QEMU's ram.transferred counts RAM only, so it is taken off vmlab's bytes. */
const DEVICE_KIB = 64;
/** Assumed: loopback carries QEMU's unthrottled stream at about 1 GiB/s (the stopped part's speed). */
const LINK_MIBPS = 1024;

interface VmlabFigures {
  status: string;
  totalTimeMs: number;
  downtimeMs: number;
  ramBytes: number;
  dirtySyncCount: number;
  /** The pass sent with the VM stopped, at the capped rate: the downtime the cap would give. */
  capSuggestsMs: number;
}

function runVmlab(pagesPerS: number, syncPolicy: 'rounds' | 'qemu'): VmlabFigures {
  const scenario = resolveScenario({
    version: 2,
    seed: 1,
    hosts: [{ id: 'src' }, { id: 'dst' }],
    links: [{ a: 'src', b: 'dst', bandwidthMiBps: LINK_MIBPS, latencyUs: 50 }],
    vms: [
      {
        id: 'vm1',
        host: 'src',
        memoryMiB: MEMORY_MIB,
        // The guest's sweep region (64 of 128 MiB) is all written before the migration; the rest is zeros.
        memoryFill: 0.5,
        diskMiB: 0,
        workload: { kind: 'sweep', dirtyMiBps: (pagesPerS * PAGE_SIZE) / MiB, workingSetFraction: 0.5, writeBytes: 4 },
      },
    ],
    migrations: [
      {
        vm: 'vm1',
        to: 'dst',
        strategy: 'precopy',
        bandwidthLimitMiBps: CAP_MIBPS,
        downtimeLimitMs: LIMIT_MS,
        syncPolicy,
        maxRounds: 1000,
        deviceStateKiB: DEVICE_KIB,
      },
    ],
    durationMs: TIMEOUT_MS,
  });
  const run = new ScenarioRun(scenario).runToEnd();
  const m = run.summary().migrations[0] as MigrationMetrics;
  run.dispose();
  const stopped = m.rounds.find((r) => r.stopped);
  return {
    status: m.status,
    totalTimeMs: m.totalTimeMs,
    downtimeMs: m.downtimeMs,
    ramBytes: m.transferredBytes - DEVICE_KIB * 1024,
    dirtySyncCount: m.dirtySyncCount,
    capSuggestsMs: stopped ? (stopped.bytesSent / (CAP_MIBPS * MiB)) * 1000 : Number.NaN,
  };
}

const mib = (b: number) => `${(b / MiB).toFixed(1)} MiB`;
const ms = (t: number) => `${Math.round(t)} ms`;

function row(
  label: string,
  f: { status: string; totalTimeMs: number; downtimeMs: number; dirtySyncCount: number },
  bytes: number,
) {
  return `  ${label.padEnd(16)} ${f.status.padEnd(10)} total ${ms(f.totalTimeMs).padStart(8)}  downtime ${ms(f.downtimeMs).padStart(7)}  RAM ${mib(bytes).padStart(10)}  syncs ${String(f.dirtySyncCount).padStart(3)}`;
}

async function main(): Promise<void> {
  const ticks = process.argv.slice(2).map(Number);
  const results: { qemu: QemuFigures; rounds: VmlabFigures; loop: VmlabFigures }[] = [];
  for (const [i, pagesPerTick] of (ticks.length ? ticks : [1, 4, 8]).entries()) {
    const qemu = await runQemu({
      memoryMiB: MEMORY_MIB,
      pagesPerTick,
      ticksPerSecond: 1000,
      maxBandwidthMiBps: CAP_MIBPS,
      downtimeLimitMs: LIMIT_MS,
      timeoutMs: TIMEOUT_MS,
      port: 44209 + i,
    });
    const rounds = runVmlab(qemu.guestPagesPerS, 'rounds');
    const loop = runVmlab(qemu.guestPagesPerS, 'qemu');
    results.push({ qemu, rounds, loop });
    console.log(
      `guest writes ${Math.round(qemu.guestPagesPerS)} pages/s (QEMU's dirty-pages-rate: ${qemu.dirtyPagesRate})`,
    );
    console.log(row('QEMU 7.2', qemu, qemu.transferredBytes));
    console.log(row("vmlab 'qemu'", loop, loop.ramBytes));
    console.log(row("vmlab 'rounds'", rounds, rounds.ramBytes));
    console.log(
      `  vmlab 'qemu' vs QEMU: bytes ${pct(loop.ramBytes, qemu.transferredBytes)}, total ${pct(loop.totalTimeMs, qemu.totalTimeMs)}, downtime ${signed(loop.downtimeMs - qemu.downtimeMs)} ms, syncs ${signed(loop.dirtySyncCount - qemu.dirtySyncCount)}; its stopped pass at the cap would take ${ms(loop.capSuggestsMs)}`,
    );
  }
  console.log(JSON.stringify(results));
}

const pct = (a: number, b: number) => `${signed(((a - b) / b) * 100, 1)}%`;
const signed = (x: number, digits = 0) => `${x >= 0 ? '+' : ''}${x.toFixed(digits)}`;

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
