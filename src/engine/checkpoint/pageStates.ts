import type { CheckpointRun } from './model';

/** What a page of the primary is doing in the current epoch. */
export const PrimaryState = { clean: 0, dirty: 1, captured: 2, sentEarly: 3, down: 4 } as const;
/** What a page of the backup's copy is doing. */
export const BackupState = { held: 0, applied: 1, incoming: 2, copying: 3, running: 4 } as const;

export const PRIMARY_STATE_INFO = [
  { id: PrimaryState.clean, name: 'clean', meaning: 'not written since the last stun, and on the backup' },
  { id: PrimaryState.dirty, name: 'dirty this epoch', meaning: 'written since the last stun: its dirty bit is set' },
  {
    id: PrimaryState.captured,
    name: 'captured, in flight',
    meaning: 'copied at a stun into a checkpoint the backup has not committed yet',
  },
  {
    id: PrimaryState.sentEarly,
    name: 'sent while running',
    meaning: 'rarely re-dirtied: sent before the stun (feedback with history)',
  },
  { id: PrimaryState.down, name: 'host down', meaning: 'the primary failed' },
] as const;

export const BACKUP_STATE_INFO = [
  { id: BackupState.held, name: 'committed', meaning: 'as of the last committed checkpoint' },
  { id: BackupState.applied, name: 'applied last', meaning: 'changed by the newest committed checkpoint' },
  { id: BackupState.incoming, name: 'in flight', meaning: 'a newer copy is on its way in an uncommitted checkpoint' },
  { id: BackupState.copying, name: 'full copy', meaning: 'the initial full copy has not arrived yet' },
  { id: BackupState.running, name: 'running here', meaning: 'the VM failed over and runs on this copy' },
] as const;

export function primaryPageStates(run: CheckpointRun, out: Uint8Array, down: boolean): void {
  if (down) {
    out.fill(PrimaryState.down);
    return;
  }
  out.fill(PrimaryState.clean);
  for (const c of run.s.inFlight) for (const b of c.batches) for (const p of b.pages) out[p] = PrimaryState.captured;
  for (const b of run.s.early) for (const p of b.pages) out[p] = PrimaryState.sentEarly;
  const dirty = run.vm.memory.dirty;
  for (let p = dirty.scan(0, run.pages); p >= 0; p = dirty.scan(p + 1, run.pages)) out[p] = PrimaryState.dirty;
}

export function backupPageStates(run: CheckpointRun, out: Uint8Array): void {
  const s = run.s;
  if (s.status === 'failed-over') return void out.fill(BackupState.running);
  if (s.status === 'syncing' || s.status === 'pending') return void out.fill(BackupState.copying);
  out.fill(BackupState.held);
  const applied = run.lastApplied;
  for (let p = applied.scan(0, run.pages); p >= 0; p = applied.scan(p + 1, run.pages)) out[p] = BackupState.applied;
  for (const c of s.inFlight) for (const b of c.batches) for (const p of b.pages) out[p] = BackupState.incoming;
  for (const b of s.early) for (const p of b.pages) out[p] = BackupState.incoming;
}
