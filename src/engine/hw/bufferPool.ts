import { type PageGenerator, simdBacking } from './xorshiftSimd';

/**
 * Reuses the large buffers guest memories live in between runs. A fresh buffer costs a page
 * fault per 4 KiB the first time it is touched (slow in some VMs); rebuilding a run for a seek
 * or a second test takes warm buffers from here instead. Buffers come back zero-filled, so
 * reuse never changes a result. Up to two 1 GiB memories (a 1 GiB migration's source and
 * destination) with their stagger room are kept.
 */
const MAX_POOLED_BYTES = 2 * 1024 * 1024 * 1024 + 1024 * 1024;
/** Smaller memories stay plain ArrayBuffers: a WebAssembly memory comes in 64 KiB units. */
const MIN_SIMD_BYTES = 65536;

/**
 * Two WebAssembly memories are reserved at addresses far apart and equal modulo large powers of
 * two, so the same offset in each aliases: a compare of two 1 GiB memories ran at half speed
 * (220 ms, against 125 ms when one started a page further in). Plain ArrayBuffers are a page
 * apart already (malloc's header). So each memory starts 0-15 pages into its buffer, in turn.
 */
const STAGGER_PAGES = 16;
const PAGE_BYTES = 4096;
let staggered = 0;

/** A memory's bytes, and where there is WebAssembly SIMD, the generator that writes pages into them in place. */
export interface Backing {
  readonly buffer: ArrayBuffer;
  readonly generate: PageGenerator | null;
  /** Where in `buffer` the memory's bytes begin. */
  byteOffset: number;
}

const free = new Map<string, Backing[]>();
let pooledBytes = 0;

const keyOf = (byteLength: number, simd: boolean) => `${simd ? 'simd' : 'plain'}:${byteLength}`;

/** A zeroed backing for `byteLength` bytes from its `byteOffset` on. */
export function acquireBacking(byteLength: number): Backing {
  const simd = byteLength >= MIN_SIMD_BYTES;
  const wanted = simd
    ? Math.ceil(byteLength / MIN_SIMD_BYTES) * MIN_SIMD_BYTES + STAGGER_PAGES * PAGE_BYTES
    : byteLength;
  let backing = free.get(keyOf(wanted, simd))?.pop();
  if (backing) {
    pooledBytes -= backing.buffer.byteLength;
    new Uint8Array(backing.buffer).fill(0);
  } else {
    const made = simd ? simdBacking(wanted) : null;
    backing = made
      ? { ...made, byteOffset: 0 }
      : { buffer: new ArrayBuffer(byteLength), generate: null, byteOffset: 0 };
  }
  backing.byteOffset = backing.generate ? PAGE_BYTES * (staggered++ % STAGGER_PAGES) : 0;
  return backing;
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
