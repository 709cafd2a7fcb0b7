/**
 * Benchmarks: figures printed as one JSON object on stdout, a readable summary on stderr.
 * Nothing here passes or fails on time.
 */
import { xbzrleEncode } from '../src/engine/codec/xbzrle';
import { PAGE_SIZE } from '../src/engine/hw/guestMemory';
import { Prng } from '../src/engine/kernel/prng';
import { migrationOf, twoHostScenario } from '../src/engine/migration/fixtures';
import { verifyRun } from '../src/engine/migration/verify';
import { ScenarioRun } from '../src/engine/run';
import { PRESETS } from '../src/engine/scenario/presets';
import { resolveScenario } from '../src/engine/scenario/validate';
import { Session } from '../src/worker/session';
import { benchCheckpoint } from './checkpoint';
import { benchLinks } from './links';
import { benchNetwork } from './network';
import { benchPassthrough } from './passthrough';
import { benchPool } from './pool';

const now = () => performance.now();

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Copy `bytes` with TypedArray.set, 64 MiB per call, on warm buffers; best of 3. */
function memcpyMs(bytes: number): number {
  const chunk = 64 << 20;
  const src = new Uint8Array(chunk).fill(7);
  const dst = new Uint8Array(chunk);
  dst.set(src);
  let best = Number.POSITIVE_INFINITY;
  for (let rep = 0; rep < 3; rep++) {
    const t = now();
    for (let done = 0; done < bytes; done += chunk) dst.set(src.subarray(0, Math.min(chunk, bytes - done)));
    best = Math.min(best, now() - t);
  }
  return best;
}

function precopyGiB() {
  const scenario = resolveScenario(
    twoHostScenario({
      memoryMiB: 1024,
      bandwidthMiBps: 1250,
      latencyUs: 50,
      workload: { kind: 'sweep', dirtyMiBps: 125 },
      migration: { strategy: 'precopy' },
    }),
  );
  const once = () => {
    let t = now();
    const run = new ScenarioRun(scenario);
    // The initial fill is written on first use otherwise: it is building, not simulating.
    run.materializeMemory();
    const buildMs = now() - t;
    t = now();
    run.runToEnd();
    const simulateMs = now() - t;
    const m = run.metrics().migrations[0];
    const events = run.sim.eventIndex;
    t = now();
    verifyRun(migrationOf(run).runs[0]);
    const verifyMs = now() - t;
    run.dispose();
    return { buildMs, simulateMs, verifyMs, m, events };
  };
  const cold = once();
  // Best of three warm runs (the machine is shared: one run can land on a busy moment).
  const runs = [once(), once(), once()];
  const best = (ms: (r: (typeof runs)[number]) => number) => Math.min(...runs.map(ms));
  const warm = {
    ...runs[0],
    buildMs: best((r) => r.buildMs),
    simulateMs: best((r) => r.simulateMs),
    verifyMs: best((r) => r.verifyMs),
  };
  // Each best is the least-disturbed measure of its part; the simulation's own final check is taken out.
  const simulationMs = warm.simulateMs - warm.verifyMs;
  const copyMs = memcpyMs(warm.m.transferredBytes);
  return {
    scenario: '1 GiB VM, sweep at 10% of a 1250 MiB/s link, pre-copy',
    transferredBytes: warm.m.transferredBytes,
    rounds: warm.m.rounds.length,
    events: warm.events,
    verified: warm.m.verified,
    coldBuildMs: round(cold.buildMs),
    coldSimulateMs: round(cold.simulateMs),
    warmBuildMs: round(warm.buildMs),
    warmSimulateMs: round(warm.simulateMs),
    finalByteCheckMs: round(warm.verifyMs),
    typedArraySetMs: round(copyMs),
    ratioToTypedArraySet: round(warm.simulateMs / copyMs, 2),
    ratioWithoutFinalByteCheck: round(simulationMs / copyMs, 2),
    targetRatio: 3,
    // Issue 9's targets, side by side from the same runs: each at most 2x the copy. The simulation's
    // time leaves out the final check it makes at its end (timed as verifyMs on the same run).
    simulationToCopy: round(simulationMs / copyMs, 2),
    finalCheckToCopy: round(warm.verifyMs / copyMs, 2),
    targetEachToCopy: 2,
  };
}

function xbzrleThroughput() {
  const pages = 4096;
  const prng = Prng.stream(1, 'bench');
  const old = new Uint8Array(pages * PAGE_SIZE);
  for (let i = 0; i < old.length; i += 4) old[i] = prng.nextU32() & 0xff;
  const fewWords = old.slice();
  for (let p = 0; p < pages; p++) for (let k = 0; k < 4; k++) fewWords[p * PAGE_SIZE + prng.nextInt(PAGE_SIZE)] ^= 0x5a;
  const rewritten = new Uint8Array(old.length);
  for (let i = 0; i < rewritten.length; i++) rewritten[i] = prng.nextU32() & 0xff;
  const out = new Uint8Array(PAGE_SIZE);
  const encode = (next: Uint8Array) => {
    let best = Number.POSITIVE_INFINITY;
    let bytes = 0;
    for (let rep = 0; rep < 5; rep++) {
      bytes = 0;
      const t = now();
      for (let p = 0; p < pages; p++) {
        const len = xbzrleEncode(
          old.subarray(p * PAGE_SIZE, (p + 1) * PAGE_SIZE),
          next.subarray(p * PAGE_SIZE, (p + 1) * PAGE_SIZE),
          out,
          PAGE_SIZE - 4,
        );
        bytes += len < 0 ? PAGE_SIZE : len;
      }
      best = Math.min(best, now() - t);
    }
    return { mbPerS: round(old.length / 1e6 / (best / 1000)), encodedBytesPerPage: round(bytes / pages, 1) };
  };
  const dst = new Uint8Array(old.length);
  let copyBest = Number.POSITIVE_INFINITY;
  for (let rep = 0; rep < 5; rep++) {
    const t = now();
    for (let p = 0; p < pages; p++) dst.set(old.subarray(p * PAGE_SIZE, (p + 1) * PAGE_SIZE), p * PAGE_SIZE);
    copyBest = Math.min(copyBest, now() - t);
  }
  return {
    pages,
    fewWordsChanged: encode(fewWords),
    fullyRewritten: encode(rewritten),
    pagewiseTypedArraySetMBPerS: round(old.length / 1e6 / (copyBest / 1000)),
  };
}

/**
 * Random seeks over a played-out run of each preset: what stepping back costs as memory churns.
 * A seek is timed up to the frame the app shows after it. Restores a seek leaves for a memory's
 * first use (GuestMemory.defer) are paid by the step after it, timed on its own.
 */
function seeks() {
  // VMLAB_BENCH_PRESETS=ckpt-,precopy-no picks presets whose id starts with one of the prefixes.
  const prefixes = process.env.VMLAB_BENCH_PRESETS?.split(',').filter(Boolean);
  const chosen = prefixes ? PRESETS.filter((p) => prefixes.some((x) => p.id.startsWith(x))) : PRESETS;
  return chosen.map((preset) => {
    const loaded = Session.load(preset.scenario);
    if (!loaded.ok) throw new Error(`preset ${preset.id} did not load`);
    const s = loaded.session;
    let t = now();
    s.runToEnd();
    const playMs = now() - t;
    const total = s.index;
    const keyframes = s.keyframeCount;
    const keyframeMiB = round(s.keyframeBytes / 2 ** 20, 1);
    const times: number[] = [];
    const steps: number[] = [];
    const prng = Prng.stream(5, 'seeks');
    for (let i = 0; i < 30; i++) {
      const target = prng.nextInt(total);
      t = now();
      s.seek(target);
      s.frame(false);
      times.push(now() - t);
      if (target < total) {
        t = now();
        s.step(1);
        steps.push(now() - t);
      }
    }
    t = now();
    s.stepBack(1);
    const stepBackMs = now() - t;
    // Step back one event from random places (each after a seek there).
    const backs: number[] = [];
    for (let i = 0; i < 10; i++) {
      s.seek(1 + prng.nextInt(total - 1));
      t = now();
      s.stepBack(1);
      s.frame(false);
      backs.push(now() - t);
    }
    const vmMiB = s.run.world.vms.size
      ? [...s.run.world.vms.values()].reduce((n, vm) => n + vm.memory.byteLength, 0) / 2 ** 20
      : 0;
    const result = {
      preset: preset.id,
      events: total,
      playToEndMs: round(playMs),
      keyframes,
      keyframeMiB,
      seekMedianMs: round(median(times)),
      seekMaxMs: round(Math.max(...times)),
      stepAfterSeekMedianMs: round(median(steps), 1),
      stepAfterSeekMaxMs: round(Math.max(...steps), 1),
      stepBackMs: round(stepBackMs),
      stepBackMedianMs: round(median(backs), 1),
      stepBackMaxMs: round(Math.max(...backs), 1),
      keyframeOverheadMiB: round(s.keyframeOverheadBytes / 2 ** 20, 1),
      vmMemoryMiB: vmMiB,
      pageGenerator: [...s.run.world.vms.values()].every((vm) => vm.memory.simdInPlace) ? 'wasm-simd in place' : 'js',
    };
    s.dispose();
    return result;
  });
}

function round(x: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** `npm run bench -- seek precopy` runs only the parts named (all when none is). */
const parts = process.argv.slice(2);
const want = (part: string) => parts.length === 0 || parts.includes(part);
const results = {
  node: process.version,
  precopy1GiB: want('precopy') ? precopyGiB() : undefined,
  xbzrle: want('xbzrle') ? xbzrleThroughput() : undefined,
  seek: want('seek') ? seeks() : undefined,
  links: want('links') ? benchLinks() : undefined,
  checkpoint: want('checkpoint') ? benchCheckpoint() : undefined,
  network: want('network') ? benchNetwork() : undefined,
  pool: want('pool') ? benchPool() : undefined,
  passthrough: want('passthrough') ? benchPassthrough() : undefined,
};
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
const p = results.precopy1GiB;
const x = results.xbzrle;
process.stderr.write(
  (p
    ? `pre-copy 1 GiB: ${p.warmSimulateMs} ms warm (${p.coldSimulateMs} ms cold), TypedArray.set of the same ${Math.round(p.transferredBytes / 2 ** 20)} MiB: ${p.typedArraySetMs} ms, ratio ${p.ratioToTypedArraySet} (target ≤ ${p.targetRatio}; ${p.ratioWithoutFinalByteCheck} without the final byte-for-byte check of ${p.finalByteCheckMs} ms)\n` +
      `pre-copy 1 GiB, side by side: simulation ${p.simulationToCopy}x the copy, final byte check ${p.finalCheckToCopy}x the copy (target ≤ ${p.targetEachToCopy} each)\n`
    : '') +
    (x
      ? `xbzrle encode: ${x.fewWordsChanged.mbPerS} MB/s (few words changed), ${x.fullyRewritten.mbPerS} MB/s (rewritten); memcpy ${x.pagewiseTypedArraySetMBPerS} MB/s\n`
      : '') +
    (results.seek ?? [])
      .map(
        (r) =>
          `seek ${r.preset}: median ${r.seekMedianMs} ms, max ${r.seekMaxMs} ms over ${r.events} events (then a step: median ${r.stepAfterSeekMedianMs}, max ${r.stepAfterSeekMaxMs} ms); step back median ${r.stepBackMedianMs} ms, max ${r.stepBackMaxMs} ms; keyframes ${r.keyframes}, ${r.keyframeMiB} MiB for ${r.vmMemoryMiB} MiB of VM memory\n`,
      )
      .join('') +
    (results.links
      ? `slowest hostile link decode: ${results.links.slowestDecodeMs} ms (${results.links.slowestCase})\n`
      : '') +
    (results.checkpoint ? `checkpoint: ${JSON.stringify(results.checkpoint)}\n` : '') +
    (results.network ?? []).map((r) => `network ${JSON.stringify(r)}\n`).join('') +
    (results.pool ? `pool: ${JSON.stringify(results.pool)}\n` : '') +
    (results.passthrough ? `passthrough: ${JSON.stringify(results.passthrough)}\n` : ''),
);
