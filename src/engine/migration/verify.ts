import type { MigrationRun } from './model';

/**
 * The destination must hold exactly what the VM would have in memory had it never moved:
 * the source's memory, which mirrors every write made on the destination after resume.
 */
export function verifyRun(run: MigrationRun): { verified: boolean; mismatchedPages: number } {
  let mismatched = run.dest.mismatchedPages(run.vm.memory).length;
  if (run.destDisk && run.vm.disk) mismatched += run.destDisk.mismatchedPages(run.vm.disk).length;
  const deviceOk = bytesEqual(run.deviceState, run.destDeviceState);
  return { verified: mismatched === 0 && deviceOk, mismatchedPages: mismatched };
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
