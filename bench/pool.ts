/**
 * The elastic pool's I/O virtualization layer: commands per wall-clock second and GiB per second
 * written through the redirect (extent-map lookup, allocation on first write, copy into the
 * sparse pool file), next to a plain memcpy of the same bytes; and the pool-burst preset run
 * end to end (every byte written as a pattern and checked on read). Figures only.
 */
import { discardNow, TempDisk, writeNow } from '../src/engine/pool/ioLayer';
import { PoolFile } from '../src/engine/pool/poolFile';
import { ScenarioRun } from '../src/engine/run';
import { findPreset } from '../src/engine/scenario/presets';
import { resolveScenario } from '../src/engine/scenario/validate';

export interface PoolBench {
  commandBytes: number;
  commands: number;
  redirectCommandsPerSecond: number;
  redirectGiBps: number;
  memcpyGiBps: number;
  preset: string;
  presetEvents: number;
  presetWallMs: number;
  presetEventsPerSecond: number;
}

const GiB = 2 ** 30;

export function benchPool(commandKiB = 256, totalMiB = 2048, repeats = 3): PoolBench {
  const commandBytes = commandKiB * 1024;
  const data = new Uint8Array(commandBytes);
  new Uint32Array(data.buffer).forEach((_, i, a) => {
    a[i] = (i * 2654435761) >>> 0;
  });
  const commands = (totalMiB * 2 ** 20) / commandBytes;
  let bestRedirect = Number.POSITIVE_INFINITY;
  let bestCopy = Number.POSITIVE_INFINITY;
  for (let r = 0; r < repeats; r++) {
    // 8 VMs write their 32 MiB disks in turn through one 256 MiB pool, discarding as they go round.
    const pool = new PoolFile(1024, 256, 256, true);
    const disks = Array.from({ length: 8 }, (_, i) => new TempDisk(i, `vm${i}`, 32 * 2 ** 20, pool));
    const perDisk = disks[0].sizeBytes / commandBytes;
    let t = performance.now();
    for (let c = 0; c < commands; c++) {
      const disk = disks[c % 8];
      const at = (Math.floor(c / 8) % perDisk) * commandBytes;
      if (at === 0 && c >= 8) discardNow(disk, 0, disk.sizeBytes);
      if (writeNow(disk, at, data) !== 'ok') throw new Error('pool full in the benchmark');
    }
    bestRedirect = Math.min(bestRedirect, performance.now() - t);
    const target = new Uint8Array(256 * 2 ** 20);
    t = performance.now();
    for (let c = 0; c < commands; c++) target.set(data, (c * commandBytes) % target.length);
    bestCopy = Math.min(bestCopy, performance.now() - t);
  }
  const preset = 'pool-burst';
  let presetWallMs = Number.POSITIVE_INFINITY;
  let presetEvents = 0;
  for (let r = 0; r < repeats; r++) {
    const t = performance.now();
    const run = new ScenarioRun(resolveScenario(findPreset(preset)?.scenario)).runToEnd();
    presetWallMs = Math.min(presetWallMs, performance.now() - t);
    presetEvents = run.sim.eventIndex;
    run.dispose();
  }
  const bytes = commands * commandBytes;
  return {
    commandBytes,
    commands,
    redirectCommandsPerSecond: Math.round(commands / (bestRedirect / 1000)),
    redirectGiBps: Number((bytes / GiB / (bestRedirect / 1000)).toFixed(2)),
    memcpyGiBps: Number((bytes / GiB / (bestCopy / 1000)).toFixed(2)),
    preset,
    presetEvents,
    presetWallMs: Math.round(presetWallMs),
    presetEventsPerSecond: Math.round(presetEvents / (presetWallMs / 1000)),
  };
}

if (process.argv[1]?.endsWith('pool.ts')) console.log(JSON.stringify(benchPool(), null, 2));
