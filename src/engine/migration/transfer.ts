import { xbzrleDecode, xbzrleEncode } from '../codec/xbzrle';
import type { Bitmap } from '../hw/bitmap';
import { PAGE_SIZE, PAGE_WORDS } from '../hw/guestMemory';
import {
  type Chunk,
  ENCODING_FULL,
  ENCODING_XBZRLE,
  ENCODING_ZERO,
  type MigrationRun,
  XBZRLE_HEADER_BYTES,
  ZERO_PAGE_WIRE_BYTES,
} from './model';

/** Pages per chunk on the link: small enough to animate, large enough to keep events few. */
export const PAGES_PER_CHUNK = 64;

/**
 * Take up to `max` pages from a bitmap, starting at the cursor and wrapping; each taken
 * page's bit is cleared. Returns the pages and the new cursor. A word's set bits are taken
 * together (one search per word, not per page).
 */
export function takePages(bitmap: Bitmap, cursor: number, max: number): [number[], number] {
  const out: number[] = [];
  const words = bitmap.words;
  let at = cursor;
  while (out.length < max) {
    const first = bitmap.nextSetFrom(at);
    if (first < 0) break;
    const wi = first >>> 5;
    let word = words[wi] & (-1 << (first & 31));
    let taken = 0;
    let last = first;
    while (word !== 0 && out.length < max) {
      const low = word & -word;
      word ^= low;
      taken |= low;
      last = (wi << 5) + 31 - Math.clz32(low);
      out.push(last);
    }
    words[wi] &= ~taken;
    at = last + 1;
  }
  return [out, at];
}

/** Read memory pages off the source into a chunk: zero pages as a marker, XBZRLE deltas when cached. */
export function buildMemoryChunk(run: MigrationRun, pages: number[], fault: boolean): Chunk {
  const s = run.s;
  const memory = run.vm.memory;
  const n = pages.length;
  const data = run.takeBuffer(PAGES_PER_CHUNK * PAGE_SIZE);
  const encodings = new Uint8Array(n);
  const lengths = new Int32Array(n);
  const id = s.nextChunkId++;
  const offsets = new Int32Array(n);
  const deferred = new Uint8Array(n);
  let used = 0;
  let wire = 0;
  // Each page's first word, read in one tight loop so the cache misses overlap instead of coming one
  // per page: a page whose first word is not zero is no zero page. `lengths` holds these until
  // each page's length is set below (a zero page's stays 0).
  const words = memory.words;
  for (let k = 0; k < n; k++) lengths[k] = words[pages[k] * PAGE_WORDS];
  const eventIndex = run.clock.eventIndex;
  const { sendCount, lastChunk, sentAt, present } = run;
  const encodeDeltas = run.cache !== null && s.xbzrleStarted;
  let zeroPages = 0;
  let fullPages = 0;
  for (let k = 0; k < n; k++) {
    const p = pages[k];
    offsets[k] = used;
    if (lengths[k] === 0 && memory.isZeroPage(p)) {
      encodings[k] = ENCODING_ZERO;
      wire += ZERO_PAGE_WIRE_BYTES;
      zeroPages++;
      // The destination's copy is now zeros: a later delta must be taken against zeros (as QEMU does).
      if (run.cache?.lookup(p)) run.cache.insert(p, memory.page(p));
    } else {
      const encoded = encodeDeltas ? encodeWithCache(run, p, memory.page(p), data, used) : -1;
      if (encoded >= 0) {
        encodings[k] = ENCODING_XBZRLE;
        lengths[k] = encoded;
        used += encoded;
        wire += encoded + XBZRLE_HEADER_BYTES;
      } else {
        // The bytes stay in source memory until arrival or until the guest writes the page.
        encodings[k] = ENCODING_FULL;
        lengths[k] = PAGE_SIZE;
        deferred[k] = 1;
        used += PAGE_SIZE;
        wire += PAGE_SIZE;
        fullPages++;
      }
    }
    if (sendCount[p] < 255) sendCount[p]++;
    lastChunk[p] = id;
    sentAt[p] = eventIndex;
    present.clear(p);
  }
  s.duplicatePages += zeroPages;
  s.normalPages += fullPages;
  return {
    id,
    kind: 'memory',
    fault,
    pages: Int32Array.from(pages),
    encodings,
    lengths,
    offsets,
    deferred,
    data: data.subarray(0, used),
    wireBytes: wire,
    sentNs: 0,
    arriveNs: 0,
  };
}

/** XBZRLE against the page cache; returns the delta's length in `out`, or -1 to send the full page. */
function encodeWithCache(run: MigrationRun, p: number, page: Uint8Array, out: Uint8Array, at: number): number {
  const s = run.s;
  const cache = run.cache;
  if (!cache) return -1;
  const cached = cache.lookup(p);
  if (!cached) {
    s.xbzrleCacheMiss++;
    cache.insert(p, page);
    return -1;
  }
  const encoded = xbzrleEncode(cached, page, out.subarray(at), PAGE_SIZE - XBZRLE_HEADER_BYTES - 1);
  cache.insert(p, page);
  if (encoded < 0) {
    s.xbzrleOverflow++;
    return -1;
  }
  s.xbzrlePages++;
  s.xbzrleBytes += encoded + XBZRLE_HEADER_BYTES;
  return encoded;
}

/** Disk blocks are copied whole (they are the same 4 KiB size as pages). */
export function buildDiskChunk(run: MigrationRun, blocks: number[]): Chunk {
  const disk = run.vm.disk;
  if (!disk) throw new Error('disk chunk for a VM without a disk');
  const data = new Uint8Array(blocks.length * PAGE_SIZE);
  for (const [k, b] of blocks.entries()) data.set(disk.page(b), k * PAGE_SIZE);
  run.s.diskBlocksSent += blocks.length;
  return {
    id: run.s.nextChunkId++,
    kind: 'disk',
    fault: false,
    pages: Int32Array.from(blocks),
    encodings: new Uint8Array(blocks.length).fill(ENCODING_FULL),
    lengths: new Int32Array(blocks.length).fill(PAGE_SIZE),
    offsets: Int32Array.from(blocks, (_, k) => k * PAGE_SIZE),
    deferred: new Uint8Array(blocks.length),
    data,
    wireBytes: data.length,
    sentNs: 0,
    arriveNs: 0,
  };
}

export function buildDeviceChunk(run: MigrationRun): Chunk {
  return {
    id: run.s.nextChunkId++,
    kind: 'device',
    fault: false,
    pages: new Int32Array(0),
    encodings: new Uint8Array(0),
    lengths: new Int32Array(0),
    offsets: new Int32Array(0),
    deferred: new Uint8Array(0),
    data: run.deviceState.slice(),
    wireBytes: run.deviceState.length,
    sentNs: 0,
    arriveNs: 0,
  };
}

/** The destination takes a chunk's bytes into its memory, disk or device state. */
export function applyChunk(run: MigrationRun, chunk: Chunk): void {
  if (chunk.kind === 'device') {
    run.destDeviceState.set(chunk.data);
    return;
  }
  if (chunk.kind === 'disk') {
    const disk = run.destDisk;
    if (!disk) return;
    for (let k = 0; k < chunk.pages.length; k++) {
      disk.installPage(chunk.pages[k], chunk.data.subarray(k * PAGE_SIZE, (k + 1) * PAGE_SIZE));
    }
    return;
  }
  const dest = run.dest;
  let at = 0;
  for (let k = 0; k < chunk.pages.length; k++) {
    const p = chunk.pages[k];
    const len = chunk.lengths[k];
    switch (chunk.encodings[k]) {
      case ENCODING_ZERO:
        dest.zeroPage(p);
        break;
      case ENCODING_FULL: {
        // A run of consecutive full pages lands in one copy: from source memory while the
        // bytes are still deferred there, else from the chunk.
        const fromSource = chunk.deferred[k] === 1;
        let count = 1;
        while (
          k + count < chunk.pages.length &&
          chunk.encodings[k + count] === ENCODING_FULL &&
          chunk.pages[k + count] === p + count &&
          (chunk.deferred[k + count] === 1) === fromSource
        ) {
          count++;
        }
        const bytes = fromSource
          ? run.vm.memory.bytes.subarray(p * PAGE_SIZE, (p + count) * PAGE_SIZE)
          : chunk.data.subarray(at, at + count * PAGE_SIZE);
        dest.installPages(p, count, bytes);
        for (let c = 0; c < count; c++) markArrived(run, chunk, chunk.pages[k + c]);
        at += count * PAGE_SIZE;
        k += count - 1;
        continue;
      }
      case ENCODING_XBZRLE:
        xbzrleDecode(chunk.data.subarray(at, at + len), dest.mutablePage(p));
        break;
    }
    at += len;
    markArrived(run, chunk, p);
  }
}

/** The page's newest copy is now at the destination (unless a newer one is already queued or on its way). */
function markArrived(run: MigrationRun, chunk: Chunk, p: number): void {
  if (run.lastChunk[p] === chunk.id && !run.toSend.get(p)) {
    run.present.set(p);
    run.arrivedAt[p] = run.clock.eventIndex;
    if (chunk.fault) run.faulted.set(p);
  }
}
