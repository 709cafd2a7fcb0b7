/**
 * Checkpointing figures (wall time; nothing passes or fails): how many epochs the engine
 * simulates per second for a 1 GiB VM at 40 checkpoints a second (each epoch stuns, scans,
 * captures, streams, applies and verifies real bytes), and Xen's delta encoder next to memcpy.
 */
import type { CheckpointMechanism } from '../src/engine/checkpoint';
import { checkpoint } from '../src/engine/checkpoint';
import { XEN_WORST_DELTA_BYTES, xenEncodeDelta } from '../src/engine/codec/xenDelta';
import { PAGE_SIZE } from '../src/engine/hw/guestMemory';
import { Prng } from '../src/engine/kernel/prng';
import { ScenarioRun } from '../src/engine/run';
import { resolveScenario } from '../src/engine/scenario/validate';

const MiB = 1 << 20;

function epochsPerSecond(strategy: 'remus' | 'delta' | 'feedback'): Record<string, number> {
  const scenario = resolveScenario({
    version: 1,
    seed: 1,
    hosts: [{ id: 'hostA' }, { id: 'hostB' }],
    links: [{ a: 'hostA', b: 'hostB', bandwidthMiBps: 1192, latencyUs: 100 }],
    vms: [
      {
        id: 'vm1',
        host: 'hostA',
        memoryMiB: 1024,
        diskMiB: 0,
        workload: { kind: 'hotset', dirtyMiBps: 64, hotFraction: 0.05, hotShare: 0.8, writeBytes: 256 },
      },
    ],
    checkpoints: [{ vm: 'vm1', backup: 'hostB', strategy, epochMs: 25 }],
    durationMs: 3000,
  });
  const run = new ScenarioRun(scenario);
  const mechanism = run.instance<CheckpointMechanism>(checkpoint) as CheckpointMechanism;
  // The full copy first (not counted), then the epochs.
  run.sim.runUntil({ predicate: (sim) => mechanism.runs[0].s.status === 'protecting' && sim.now > 0 });
  const startEpochs = mechanism.runs[0].s.epochs.length;
  const t0 = performance.now();
  run.sim.runUntil();
  const wallS = (performance.now() - t0) / 1000;
  const epochs = mechanism.runs[0].s.epochs.length - startEpochs;
  const m = run.metrics().checkpoints[0];
  run.dispose();
  return {
    epochs,
    wallS: round(wallS),
    epochsPerSecond: round(epochs / wallS),
    simulatedOverWall: round((epochs * 0.025) / wallS),
    verifiedCheckpoints: m.verifiedCheckpoints,
    mismatchedPages: m.mismatchedPages,
  };
}

/** Encode 64 MiB of pages that changed in `changedWords` scattered words each, against their cached copies. */
function encodeThroughput(changedWords: number): Record<string, number> {
  const pages = (64 * MiB) / PAGE_SIZE;
  const cache = new Uint8Array(pages * PAGE_SIZE);
  const next = new Uint8Array(pages * PAGE_SIZE);
  const prng = new Prng(7);
  const words = new Uint32Array(next.buffer);
  for (let i = 0; i < words.length; i++) words[i] = prng.nextU32();
  const cacheWords = new Uint32Array(cache.buffer);
  const out = new Uint8Array(XEN_WORST_DELTA_BYTES * 64);
  const reset = () => {
    cacheWords.set(words);
    if (changedWords >= 1024) for (let i = 0; i < cacheWords.length; i++) cacheWords[i] ^= 0xdeadbeef;
    else
      for (let p = 0; p < pages; p++)
        for (let k = 0; k < changedWords; k++) cacheWords[p * 1024 + prng.nextInt(1024)] ^= 0xdeadbeef;
  };
  reset();
  let encoded = 0;
  const t0 = performance.now();
  for (let p = 0; p < pages; p++) {
    const a = p * PAGE_SIZE;
    encoded += xenEncodeDelta(
      cache.subarray(a, a + PAGE_SIZE),
      next.subarray(a, a + PAGE_SIZE),
      out,
      (p & 63) * XEN_WORST_DELTA_BYTES,
    );
  }
  const encodeS = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  for (let rep = 0; rep < 4; rep++) cache.set(next);
  const copyS = (performance.now() - t1) / 4000;
  return {
    deltaMiBps: round(64 / encodeS),
    memcpyMiBps: round(64 / copyS),
    bytesPerPage: round(encoded / pages),
  };
}

const round = (x: number) => Math.round(x * 100) / 100;

export function benchCheckpoint(): Record<string, unknown> {
  return {
    oneGiBAt40PerSecond: {
      remus: epochsPerSecond('remus'),
      delta: epochsPerSecond('delta'),
      feedback: epochsPerSecond('feedback'),
    },
    xenDeltaEncode: {
      fourWordsChanged: encodeThroughput(4),
      sixtyFourWordsChanged: encodeThroughput(64),
      everyWordChanged: encodeThroughput(1024),
    },
  };
}
