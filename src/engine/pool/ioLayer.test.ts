import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { discardNow, read, TempDisk, writeNow } from './ioLayer';
import { ExtentState, PoolFile, SECTOR_BYTES } from './poolFile';

const VMS = 4;
const EXTENT_KIB = 64;
const SECTORS_PER_EXTENT = (EXTENT_KIB * 1024) / SECTOR_BYTES;
const DISK_EXTENTS = 6;
const DISK_SECTORS = DISK_EXTENTS * SECTORS_PER_EXTENT;

type Command =
  | { op: 'write'; vm: number; sector: number; sectors: number }
  | { op: 'read'; vm: number; sector: number; sectors: number }
  | { op: 'discard'; vm: number; sector: number; sectors: number };

const range = fc
  .tuple(fc.integer({ min: 0, max: DISK_SECTORS - 1 }), fc.integer({ min: 1, max: 2 * SECTORS_PER_EXTENT }))
  .map(([sector, n]) => ({ sector, sectors: Math.min(n, DISK_SECTORS - sector) }));

const command: fc.Arbitrary<Command> = fc
  .tuple(fc.constantFrom('write', 'write', 'read', 'discard'), fc.integer({ min: 0, max: VMS - 1 }), range)
  .map(([op, vm, r]) => ({ op, vm, ...r }) as Command);

/** Sector states of the reference model. */
const NEVER = 0;
const WRITTEN = 1;
const DISCARDED = 2;

/** A VM's tag in the top byte of every word it writes: any other non-zero top byte is another VM's data. */
const tagOf = (vm: number) => (0xa0 + vm) << 24;

function fillPattern(vm: number, seq: number, sectors: number): Uint8Array {
  const words = new Uint32Array((sectors * SECTOR_BYTES) / 4);
  for (let i = 0; i < words.length; i++) words[i] = (tagOf(vm) | ((seq * 7919 + i) & 0xffffff)) >>> 0;
  return new Uint8Array(words.buffer);
}

function runSequence(commands: Command[], capacityExtents: number, zeroOnAllocate: boolean): void {
  const pool = new PoolFile(EXTENT_KIB, capacityExtents, capacityExtents, zeroOnAllocate);
  const disks = Array.from({ length: VMS }, (_, i) => new TempDisk(i, `vm${i}`, DISK_SECTORS * SECTOR_BYTES, pool));
  const shadow = disks.map(() => new Uint8Array(DISK_SECTORS * SECTOR_BYTES));
  const states = disks.map(() => new Uint8Array(DISK_SECTORS));
  let seq = 0;
  const checkRead = (vm: number, sector: number, sectors: number) => {
    const out = new Uint8Array(sectors * SECTOR_BYTES);
    read(disks[vm], sector * SECTOR_BYTES, out.length, out);
    const got = new Uint32Array(out.buffer);
    const own = new Uint32Array(shadow[vm].buffer, sector * SECTOR_BYTES, got.length);
    const wordsPerSector = SECTOR_BYTES / 4;
    let foreign = 0;
    const wrong: string[] = [];
    for (let s = 0; s < sectors; s++) {
      const state = states[vm][sector + s];
      let sameAsOwn = true;
      let zero = true;
      for (let w = s * wordsPerSector; w < (s + 1) * wordsPerSector; w++) {
        const v = got[w];
        if (v !== 0) {
          zero = false;
          if ((v & 0xff000000) >>> 0 !== tagOf(vm) >>> 0) foreign++;
        }
        if (v !== own[w]) sameAsOwn = false;
      }
      const ok = state === WRITTEN ? sameAsOwn : state === NEVER ? zero : zero || sameAsOwn;
      if (!ok) wrong.push(`vm${vm} sector ${sector + s} (${['never written', 'written', 'discarded'][state]})`);
    }
    expect(foreign, "words of another VM's data").toBe(0);
    expect(wrong, 'sectors that did not read back what the VM last wrote, or zeros').toEqual([]);
  };
  for (const c of commands) {
    const disk = disks[c.vm];
    if (c.op === 'write') {
      const data = fillPattern(c.vm, seq++, c.sectors);
      const freeBefore = pool.freeList().slice();
      const result = writeNow(disk, c.sector * SECTOR_BYTES, data);
      if (result === 'ok') {
        shadow[c.vm].set(data, c.sector * SECTOR_BYTES);
        states[c.vm].fill(WRITTEN, c.sector, c.sector + c.sectors);
      } else {
        // Only the writer sees the error: nothing changed, every VM still reads what it had.
        expect(pool.freeList()).toEqual(freeBefore);
        for (let vm = 0; vm < VMS; vm++) checkRead(vm, 0, DISK_SECTORS);
      }
    } else if (c.op === 'read') checkRead(c.vm, c.sector, c.sectors);
    else {
      discardNow(disk, c.sector * SECTOR_BYTES, c.sectors * SECTOR_BYTES);
      for (let s = c.sector; s < c.sector + c.sectors; s++)
        if (states[c.vm][s] === WRITTEN) states[c.vm][s] = DISCARDED;
    }
    checkPoolInvariants(pool, disks);
  }
  for (let vm = 0; vm < VMS; vm++) checkRead(vm, 0, DISK_SECTORS);
}

function checkPoolInvariants(pool: PoolFile, disks: TempDisk[]): void {
  const seen = new Int32Array(pool.capacity);
  for (const disk of disks) {
    const m = disk.map;
    for (let i = 0; i < m.runs; i++) {
      expect(m.length[i]).toBeGreaterThan(0);
      if (i > 0)
        expect(m.logical[i - 1] + m.length[i - 1], 'runs sorted, not overlapping').toBeLessThanOrEqual(m.logical[i]);
      expect(m.logical[i] + m.length[i]).toBeLessThanOrEqual(disk.extents);
      expect(m.pool[i]).toBeGreaterThanOrEqual(0);
      expect(m.pool[i] + m.length[i], 'within the pool').toBeLessThanOrEqual(pool.capacity);
      for (let k = 0; k < m.length[i]; k++) {
        const e = m.pool[i] + k;
        seen[e]++;
        expect(pool.owner[e]).toBe(disk.index);
        expect(pool.state[e]).toBe(ExtentState.allocated);
        expect(pool.logicalOf[e]).toBe(m.logical[i] + k);
      }
    }
  }
  for (const e of pool.freeList()) {
    seen[e]++;
    expect(pool.state[e]).toBe(ExtentState.free);
  }
  // Every extent is in exactly one map or on the free list exactly once.
  expect([...seen].every((n) => n === 1)).toBe(true);
}

const isZero = (a: Uint8Array) => new Uint32Array(a.buffer, a.byteOffset, a.length / 4).every((v) => v === 0);

describe('I/O virtualization layer over random commands from many VMs', () => {
  for (const zeroOnAllocate of [true, false]) {
    it(`read-your-writes, isolation, sorted maps, free list exactly once (zeroOnAllocate ${zeroOnAllocate})`, () => {
      fc.assert(
        fc.property(fc.array(command, { minLength: 1, maxLength: 80 }), fc.integer({ min: 3, max: 20 }), (cmds, cap) =>
          runSequence(cmds, cap, zeroOnAllocate),
        ),
        { numRuns: 100, seed: 4242 },
      );
    });
  }

  it("a reused extent reads as zeros though another VM's bytes are still underneath", () => {
    for (const zeroOnAllocate of [true, false]) {
      const pool = new PoolFile(EXTENT_KIB, 1, 1, zeroOnAllocate);
      const a = new TempDisk(0, 'a', DISK_SECTORS * SECTOR_BYTES, pool);
      const b = new TempDisk(1, 'b', DISK_SECTORS * SECTOR_BYTES, pool);
      expect(writeNow(a, 0, fillPattern(0, 1, SECTORS_PER_EXTENT))).toBe('ok');
      expect(writeNow(b, 0, fillPattern(1, 2, 1))).toBe('ENOSPC');
      expect(discardNow(a, 0, EXTENT_KIB * 1024)).toEqual([0]);
      if (!zeroOnAllocate) expect(pool.store.holds(0), 'the stale bytes are still in the pool file').toBe(true);
      expect(writeNow(b, SECTOR_BYTES, fillPattern(1, 3, 1))).toBe('ok');
      const out = new Uint8Array(EXTENT_KIB * 1024);
      read(b, 0, out.length, out);
      expect(isZero(out.subarray(0, SECTOR_BYTES))).toBe(true);
      expect(isZero(out.subarray(2 * SECTOR_BYTES))).toBe(true);
    }
  });
});
