import { ExtentMap } from './extentMap';
import { ExtentState, type PoolFile, SECTOR_BYTES } from './poolFile';

/** A VM's temporary virtual disk: its logical size and its map into the pool file. */
export class TempDisk {
  readonly map = new ExtentMap();
  readonly extents: number;

  constructor(
    readonly index: number,
    readonly vm: string,
    readonly sizeBytes: number,
    readonly pool: PoolFile,
  ) {
    this.extents = Math.ceil(sizeBytes / pool.extentBytes);
  }
}

export class IoError extends Error {}

/**
 * The I/O virtualization layer: commands to a temporary disk are redirected into the pool
 * file at the place the disk's extent map gives. Offsets and lengths are whole sectors.
 */
export function checkCommand(disk: TempDisk, offset: number, length: number): void {
  if (offset % SECTOR_BYTES !== 0 || length % SECTOR_BYTES !== 0 || length <= 0)
    throw new IoError(`command at ${offset} for ${length} bytes is not whole ${SECTOR_BYTES}-byte sectors`);
  if (offset + length > disk.sizeBytes)
    throw new IoError(`command at ${offset} for ${length} bytes runs past the disk's ${disk.sizeBytes} bytes`);
}

/** Logical extents a command touches that have no pool extent yet. */
export function unmappedExtents(disk: TempDisk, offset: number, length: number): number[] {
  const eb = disk.pool.extentBytes;
  const out: number[] = [];
  for (let e = Math.floor(offset / eb); e * eb < offset + length; e++) if (disk.map.lookup(e) < 0) out.push(e);
  return out;
}

/** Visit each extent-sized piece of a command: logical extent, byte offset in it, length, offset in the command. */
function forPieces(
  disk: TempDisk,
  offset: number,
  length: number,
  fn: (logical: number, at: number, len: number, done: number) => void,
): void {
  const eb = disk.pool.extentBytes;
  let done = 0;
  while (done < length) {
    const pos = offset + done;
    const logical = Math.floor(pos / eb);
    const at = pos - logical * eb;
    const len = Math.min(eb - at, length - done);
    fn(logical, at, len, done);
    done += len;
  }
}

/** Write `data` at `offset`; every extent it touches must be mapped already. */
export function writeMapped(disk: TempDisk, offset: number, data: Uint8Array): void {
  checkCommand(disk, offset, data.length);
  const pool = disk.pool;
  forPieces(disk, offset, data.length, (logical, at, len, done) => {
    const e = disk.map.lookup(logical);
    if (e < 0 || pool.owner[e] !== disk.index) throw new IoError(`logical extent ${logical} is not mapped`);
    pool.store.write(e, at, data.subarray(done, done + len));
    pool.setWritten(e, at / SECTOR_BYTES, len / SECTOR_BYTES);
  });
}

/**
 * Read `length` bytes at `offset` into `out`. Unmapped ranges read as zeros; so do sectors of a
 * mapped extent not written since it was allocated, when the pool does not zero on allocation.
 */
export function read(disk: TempDisk, offset: number, length: number, out: Uint8Array): void {
  checkCommand(disk, offset, length);
  const pool = disk.pool;
  forPieces(disk, offset, length, (logical, at, len, done) => {
    const e = disk.map.lookup(logical);
    if (e < 0) {
      out.fill(0, done, done + len);
      return;
    }
    if (pool.zeroOnAllocate) {
      pool.store.read(e, at, len, out, done);
      return;
    }
    for (let s = 0; s < len; s += SECTOR_BYTES) {
      if (pool.isWritten(e, (at + s) / SECTOR_BYTES)) pool.store.read(e, at + s, SECTOR_BYTES, out, done + s);
      else out.fill(0, done + s, done + s + SECTOR_BYTES);
    }
  });
}

/** Mark a range discarded; returns the logical extents it left with no written sector (to be freed). */
export function discard(disk: TempDisk, offset: number, length: number): number[] {
  checkCommand(disk, offset, length);
  const pool = disk.pool;
  const empty: number[] = [];
  forPieces(disk, offset, length, (logical, at, len) => {
    const e = disk.map.lookup(logical);
    if (e < 0) return;
    pool.clearWritten(e, at / SECTOR_BYTES, len / SECTOR_BYTES);
    if (pool.state[e] === ExtentState.allocated && pool.isEmpty(e)) empty.push(logical);
  });
  return empty;
}

/** Take the extent out of the disk's map at once (it is being discarded); returns the pool extent. */
export function unmap(disk: TempDisk, logical: number): number {
  const e = disk.map.remove(logical);
  if (e >= 0) disk.pool.state[e] = ExtentState.discarding;
  return e;
}

/** Reserve and map a pool extent for logical extent `logical` now; -1 when the pool is full. */
export function allocateNow(disk: TempDisk, logical: number): number {
  const e = disk.pool.reserve(disk.index);
  if (e < 0) return -1;
  disk.map.insert(logical, e);
  disk.pool.activate(e, logical);
  return e;
}

/** A write as one step (tests, the benchmark): allocate what it needs, or fail with nothing changed. */
export function writeNow(disk: TempDisk, offset: number, data: Uint8Array): 'ok' | 'ENOSPC' {
  checkCommand(disk, offset, data.length);
  const need = unmappedExtents(disk, offset, data.length);
  if (need.length > disk.pool.freeExtents) return 'ENOSPC';
  for (const logical of need) allocateNow(disk, logical);
  writeMapped(disk, offset, data);
  return 'ok';
}

/** A discard as one step: the extents it empties go back to the free list at once. */
export function discardNow(disk: TempDisk, offset: number, length: number): number[] {
  const freed: number[] = [];
  for (const logical of discard(disk, offset, length)) {
    const e = unmap(disk, logical);
    disk.pool.release(e);
    freed.push(e);
  }
  return freed;
}
