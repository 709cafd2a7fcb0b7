import type { PoolRun } from './model';

/**
 * Every read a job made compared the bytes it got, sector by sector, with the pattern it had
 * written there (or with zeros, for a range it never wrote): `mismatchedSectors` counts those
 * that differed, `isolationViolations` those carrying another VM's tag.
 */
export function verifyPool(run: PoolRun): { verified: boolean; mismatchedSectors: number } {
  return { verified: run.c.mismatchedSectors === 0, mismatchedSectors: run.c.mismatchedSectors };
}
