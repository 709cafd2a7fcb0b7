import { KiB, MiB } from '../kernel/clock';
import { hashString } from '../kernel/prng';
import type { TempDiskJob } from './schema';

/**
 * One I/O command of a temp-data job moves one unit of a file: 256 KiB (an assumption, within
 * the range of Hadoop's io.file.buffer.size and the block layer's largest requests).
 */
export const UNIT_BYTES = 256 * KiB;
export const UNITS_PER_MiB = MiB / UNIT_BYTES;

export const Op = { phase: 0, create: 1, write: 2, read: 3, remove: 4, hold: 5, probe: 6 } as const;

/** A job as a program of steps: (op, file, unit or size) triples. Rebuilt from the job's config, never stored. */
export interface JobProgram {
  ops: Uint8Array;
  files: Int32Array;
  args: Int32Array;
  phaseNames: string[];
  fileCount: number;
}

/**
 * Hadoop-shaped temporary data: map tasks spill their output (`spills` files, as the 100 MiB
 * sort buffer fills to 80%), the shuffle reads them back and writes each reducer's input,
 * the reducers merge into one output, and the job deletes it `holdMs` later. Each step reads
 * back what an earlier one wrote, so every byte written is checked by a reader.
 */
export function jobProgram(job: TempDiskJob): JobProgram {
  const ops: number[] = [];
  const files: number[] = [];
  const args: number[] = [];
  const phaseNames: string[] = [];
  const push = (op: number, file: number, arg: number) => {
    ops.push(op);
    files.push(file);
    args.push(arg);
  };
  const phase = (name: string) => {
    push(Op.phase, -1, phaseNames.length);
    phaseNames.push(name);
  };
  const writeFile = (file: number, units: number) => {
    push(Op.create, file, units);
    for (let u = 0; u < units; u++) {
      push(Op.write, file, u);
      if (u === 0) push(Op.probe, file, 0);
    }
  };
  const readFile = (file: number, units: number) => {
    for (let u = 0; u < units; u++) push(Op.read, file, u);
  };
  const total = job.mapOutputMiB * UNITS_PER_MiB;
  const split = (n: number) =>
    Array.from({ length: n }, (_, i) => Math.floor((total * (i + 1)) / n) - Math.floor((total * i) / n));
  let fileCount: number;
  if (job.kind === 'write-read-delete') {
    phase('write');
    writeFile(0, total);
    phase('read');
    readFile(0, total);
    if (job.holdMs > 0) {
      phase('hold');
      push(Op.hold, -1, 0);
    }
    phase('delete');
    push(Op.remove, 0, 0);
    fileCount = 1;
  } else {
    const spills = split(Math.min(job.spills, total));
    const parts = split(Math.min(job.reducers, total));
    const spillFile = (s: number) => s;
    const partFile = (r: number) => spills.length + r;
    const merged = spills.length + parts.length;
    phase('map spills');
    spills.forEach((units, s) => {
      writeFile(spillFile(s), units);
    });
    phase('shuffle');
    spills.forEach((units, s) => {
      readFile(spillFile(s), units);
    });
    parts.forEach((units, r) => {
      writeFile(partFile(r), units);
    });
    spills.forEach((_, s) => {
      push(Op.remove, spillFile(s), 0);
    });
    phase('reduce merge');
    parts.forEach((units, r) => {
      readFile(partFile(r), units);
    });
    writeFile(merged, total);
    parts.forEach((_, r) => {
      push(Op.remove, partFile(r), 0);
    });
    if (job.holdMs > 0) {
      phase('hold');
      push(Op.hold, -1, 0);
    }
    phase('cleanup');
    push(Op.remove, merged, 0);
    fileCount = merged + 1;
  }
  return {
    ops: Uint8Array.from(ops),
    files: Int32Array.from(files),
    args: Int32Array.from(args),
    phaseNames,
    fileCount,
  };
}

/** The tag in the first word of every 4 KiB a VM writes: 0xA5, the VM's index, the job. */
export function sectorTag(vmIndex: number, jobSeq: number): number {
  return ((0xa5 << 24) | ((vmIndex & 0xff) << 16) | (jobSeq & 0xffff)) >>> 0;
}

/** Which VM a sector's first word says wrote it, or -1 for no tag. */
export function taggedVm(word: number): number {
  return word >>> 24 === 0xa5 ? (word >>> 16) & 0xff : -1;
}

/** The bytes of one unit of a file: a real pattern that depends on VM, job, file and unit. */
export function fillUnit(
  out: Uint32Array,
  seed: number,
  vmIndex: number,
  jobSeq: number,
  file: number,
  unit: number,
): void {
  const base = (hashString(`${seed}/${vmIndex}/${jobSeq}/${file}`) ^ Math.imul(unit + 1, 0x85ebca6b)) >>> 0;
  const tag = sectorTag(vmIndex, jobSeq);
  // A Weyl sequence per unit: cheap to make and to check, never repeating within a unit.
  let x = base | 0;
  for (let i = 0; i < out.length; i++) {
    x = (x + 0x9e3779b9) | 0;
    out[i] = x;
  }
  for (let i = 0; i < out.length; i += 1024) out[i] = tag;
}
