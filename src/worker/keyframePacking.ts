import { decodeWords, encodeWords } from '../engine/hw/pageRuns';
import type { LogEntry, SimSnapshot } from '../engine/kernel/simulation';

/**
 * Keyframes besides memory: a snapshot copies per-page arrays (write and send stamps, send
 * counts, bitmaps), which change a little between keyframes. Packed, each typed array is
 * cut in 1 KiB blocks and a block equal to the previous keyframe's at the same place is
 * shared, not copied. The log is kept as a length into the longest log seen (a replay
 * writes the same lines). Arrays of objects with a numeric `id` (chunks in flight) are
 * matched by id, so a chunk is compared with itself as it was. A new block of page bytes (a
 * chunk's payload) is kept as its xorshift runs (engine/hw/pageRuns.ts) when that is small.
 */
const BLOCK = 1024;
const BLOCK_WORDS = BLOCK / 4;
/** A block is kept encoded when it has at most this many runs (1 + 2 x 31 ints, a 16th of its bytes). */
const ENCODED_MAX_RUNS = 31;
const blockScratch = new Int32Array(BLOCK_WORDS + 1);

const TYPED = {
  Uint8Array,
  Int8Array,
  Uint16Array,
  Int16Array,
  Uint32Array,
  Int32Array,
  Float32Array,
  Float64Array,
} as const;
type TypedName = keyof typeof TYPED;
type Typed = InstanceType<(typeof TYPED)[TypedName]>;

class PackedArray {
  constructor(
    readonly type: TypedName,
    readonly length: number,
    /** Raw bytes, or a whole block's runs. */
    readonly blocks: (Uint8Array | Int32Array)[],
  ) {}
}

class PackedObject {
  constructor(readonly fields: Record<string, unknown>) {}
}

class PackedList {
  constructor(
    readonly items: unknown[],
    /** Items matched by this numeric field, when all have it. */
    readonly byId: boolean,
  ) {}
}

export interface PackedSnapshot {
  tree: unknown;
  logLength: number;
  /** Bytes this keyframe holds that no earlier one shares (new blocks, references, small values). */
  bytes: number;
}

/** Pack `snapshot`, sharing blocks with `previous` (the keyframe before it) where equal. */
export function packSnapshot(snapshot: SimSnapshot, previous: PackedSnapshot | undefined): PackedSnapshot {
  const counter = { bytes: 0 };
  const { log, ...rest } = snapshot;
  const tree = pack(rest, previous?.tree, counter);
  return { tree, logLength: log.length, bytes: counter.bytes };
}

/** The snapshot again, every array a fresh copy; `log` must hold at least the keyframe's lines. */
export function unpackSnapshot(packed: PackedSnapshot, log: readonly LogEntry[]): SimSnapshot {
  const rest = unpack(packed.tree) as Omit<SimSnapshot, 'log'>;
  return { ...rest, log: log.slice(0, packed.logLength) };
}

function pack(value: unknown, prev: unknown, counter: { bytes: number }): unknown {
  if (value === null || typeof value !== 'object') {
    counter.bytes += 8;
    return value;
  }
  if (ArrayBuffer.isView(value)) {
    const type = value.constructor.name as TypedName;
    if (!(type in TYPED)) throw new Error(`a snapshot holds a ${type}, which keyframes cannot pack`);
    return packArray(
      value as Typed,
      type,
      prev instanceof PackedArray && prev.type === type ? prev : undefined,
      counter,
    );
  }
  if (Array.isArray(value)) {
    counter.bytes += 8 * value.length;
    const byId =
      value.length > 0 && value.every((v) => v !== null && typeof v === 'object' && typeof v.id === 'number');
    const prevList = prev instanceof PackedList ? prev : undefined;
    let match: (item: unknown, i: number) => unknown = (_, i) => prevList?.items[i];
    if (byId && prevList?.byId) {
      const ids = new Map(prevList.items.map((it) => [((it as PackedObject).fields.id as number) ?? -1, it]));
      match = (item) => ids.get((item as { id: number }).id);
    }
    return new PackedList(
      value.map((item, i) => pack(item, match(item, i), counter)),
      byId,
    );
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    throw new Error(`a snapshot holds a ${proto?.constructor?.name}, which keyframes cannot pack`);
  }
  const prevFields = prev instanceof PackedObject ? prev.fields : undefined;
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    counter.bytes += 8;
    fields[k] = pack(v, prevFields?.[k], counter);
  }
  return new PackedObject(fields);
}

function packArray(
  value: Typed,
  type: TypedName,
  prev: PackedArray | undefined,
  counter: { bytes: number },
): PackedArray {
  const bytes = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  const aligned = (value.byteOffset & 3) === 0;
  const words = aligned ? new Int32Array(value.buffer, value.byteOffset, bytes.length >>> 2) : null;
  const n = Math.ceil(bytes.length / BLOCK);
  const blocks: (Uint8Array | Int32Array)[] = new Array(n);
  const fresh: number[] = [];
  for (let b = 0; b < n; b++) {
    const block = bytes.subarray(b * BLOCK, Math.min(bytes.length, (b + 1) * BLOCK));
    const old = prev?.blocks[b];
    if (words && block.length === BLOCK) {
      const used = encodeWords(words, b * BLOCK_WORDS, BLOCK_WORDS, blockScratch, 0, ENCODED_MAX_RUNS);
      if (used > 0) {
        const code = blockScratch.subarray(0, used);
        if (old instanceof Int32Array && sameInts(old, code)) blocks[b] = old;
        else {
          blocks[b] = code.slice();
          counter.bytes += 4 * used + 64;
        }
        continue;
      }
    }
    if (old instanceof Uint8Array && sameBytes(old, block)) blocks[b] = old;
    else fresh.push(b);
  }
  // The new raw blocks share one allocation, so a keyframe costs what changed, not an object per block.
  let size = 0;
  for (const b of fresh) size += Math.min(BLOCK, bytes.length - b * BLOCK);
  const store = new Uint8Array(size);
  let at = 0;
  for (const b of fresh) {
    const block = bytes.subarray(b * BLOCK, Math.min(bytes.length, (b + 1) * BLOCK));
    store.set(block, at);
    blocks[b] = store.subarray(at, at + block.length);
    at += block.length;
  }
  counter.bytes += size + 8 * n + 64;
  return new PackedArray(type, value.length, blocks);
}

function sameInts(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  const n = a.length;
  if (n !== b.length) return false;
  if ((a.byteOffset & 3) === 0 && (b.byteOffset & 3) === 0) {
    const words = n >>> 2;
    const wa = new Int32Array(a.buffer, a.byteOffset, words);
    const wb = new Int32Array(b.buffer, b.byteOffset, words);
    for (let i = 0; i < words; i++) if (wa[i] !== wb[i]) return false;
    for (let i = words << 2; i < n; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

function unpack(value: unknown): unknown {
  if (value instanceof PackedArray) {
    const out = new TYPED[value.type](value.length);
    const bytes = new Uint8Array(out.buffer);
    const words = new Int32Array(out.buffer, 0, out.byteLength >>> 2);
    let at = 0;
    for (const block of value.blocks) {
      if (block instanceof Int32Array) {
        decodeWords(block, 0, words, at >>> 2, BLOCK_WORDS);
        at += BLOCK;
      } else {
        bytes.set(block, at);
        at += block.length;
      }
    }
    return out;
  }
  if (value instanceof PackedList) return value.items.map(unpack);
  if (value instanceof PackedObject) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value.fields)) out[k] = unpack(v);
    return out;
  }
  return value;
}
