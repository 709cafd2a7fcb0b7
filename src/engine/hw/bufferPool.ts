import { type PageGenerator, simdBacking } from './xorshiftSimd';

/**
 * Reuses the large buffers guest memories live in between runs. A fresh buffer costs a page
 * fault per 4 KiB the first time it is touched (slow in some VMs); rebuilding a run for a seek
 * or a second test takes warm buffers from here instead. Buffers come back zero-filled, so
 * reuse never changes a result.
 */
const MAX_POOLED_BYTES = 2 * 1024 * 1024 * 1024;
/** Smaller memories stay plain ArrayBuffers: a WebAssembly memory comes in 64 KiB units. */
const MIN_SIMD_BYTES = 65536;

/** A memory's bytes, and where there is WebAssembly SIMD, the generator that writes pages into them in place. */
export interface Backing {
  readonly buffer: ArrayBuffer;
  readonly generate: PageGenerator | null;
}

const free = new Map<string, Backing[]>();
let pooledBytes = 0;

const keyOf = (byteLength: number, simd: boolean) => `${simd ? 'simd' : 'plain'}:${byteLength}`;

export function acquireBacking(byteLength: number): Backing {
  const simd = byteLength >= MIN_SIMD_BYTES;
  const wanted = simd ? Math.ceil(byteLength / MIN_SIMD_BYTES) * MIN_SIMD_BYTES : byteLength;
  const pooled = free.get(keyOf(wanted, simd))?.pop();
  if (pooled) {
    pooledBytes -= pooled.buffer.byteLength;
    new Uint8Array(pooled.buffer).fill(0);
    return pooled;
  }
  return (simd ? simdBacking(byteLength) : null) ?? { buffer: new ArrayBuffer(byteLength), generate: null };
}

export function releaseBacking(backing: Backing): void {
  const bytes = backing.buffer.byteLength;
  if (pooledBytes + bytes > MAX_POOLED_BYTES) return;
  const key = keyOf(bytes, backing.generate !== null);
  const list = free.get(key) ?? [];
  if (list.includes(backing)) return;
  list.push(backing);
  free.set(key, list);
  pooledBytes += bytes;
}
