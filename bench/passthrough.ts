/**
 * Passthrough figures: guest config accesses through vfio's policy per second, and I/O
 * operations simulated per second (whole runs of a preset-like scenario). Wall-clock only here.
 */

import { deviceScenario, runWorld } from '../src/engine/passthrough/fixtures';
import { DeviceRun } from '../src/engine/passthrough/model';
import { DeviceSchema } from '../src/engine/passthrough/schema';
import { STRATEGIES } from '../src/engine/passthrough/strategies';

export function benchPassthrough(): { configAccessesPerSec: number; ioPerSec: Record<string, number> } {
  const run = new DeviceRun(0, DeviceSchema.parse({ id: 'd', host: 'h', model: 'e1000e', vm: 'vm1' }), 0);
  const port = STRATEGIES.passthrough.port(run);
  const n = 2_000_000;
  let t = performance.now();
  let sink = 0;
  for (let i = 0; i < n; i++) {
    const offset = (i * 4) & 0xfc;
    if (i & 1) port.write(offset, 4, i >>> 0);
    else sink ^= port.read(offset, 4);
  }
  const configAccessesPerSec = n / ((performance.now() - t) / 1000);
  const ioPerSec: Record<string, number> = {};
  for (const [label, device] of [
    ['emulated', { strategy: 'emulated' }],
    ['passthrough-trap', { strategy: 'passthrough', trap: true }],
    ['passthrough-direct', { strategy: 'passthrough', trap: false }],
  ] as const) {
    const s = deviceScenario({
      vms: [{ id: 'vm1', host: 'hostA', memoryMiB: 64, diskMiB: 0, workload: { kind: 'idle' } }],
      devices: [{ id: 'nic0', host: 'hostA', model: 'e1000e', vm: 'vm1', io: { opsPerSec: 100_000 }, ...device }],
      durationMs: 1000,
    });
    const { world, pt } = runWorld(s);
    t = performance.now();
    world.sim.runUntil();
    ioPerSec[label] = pt.runs[0].s.ios / ((performance.now() - t) / 1000);
  }
  if (sink === 0.5) console.error(sink);
  return { configAccessesPerSec, ioPerSec };
}

if (process.argv[1]?.endsWith('passthrough.ts')) console.log(JSON.stringify(benchPassthrough(), null, 2));
