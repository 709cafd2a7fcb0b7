import type { Simulation } from '../kernel/simulation';
import type { MigrationRun } from './model';

/** The shared steps strategies are built from (implemented by MigrationMechanism). */
export interface MigrationOps {
  readonly sim: Simulation;
  /**
   * Begin a pass over the queued pages (all of memory when `all`); `stopped` marks the VM as down;
   * `keepCursor` goes on from the page the last one reached (QEMU's page search after a sync).
   */
  startPass(run: MigrationRun, opts: { all: boolean; stopped: boolean; keepCursor?: boolean }): void;
  /** Close the current pass and record its row in the round table. */
  endPass(run: MigrationRun, pagesDirtied: number): void;
  /** Sync the dirty log: queue every page (and disk block) dirtied since the last sync. Returns pages dirtied. */
  syncDirty(run: MigrationRun): number;
  /** Bytes the queued pages and blocks would take at full size. */
  queuedBytes(run: MigrationRun): number;
  /** Suspend the VM on the source: downtime starts. */
  stopSource(run: MigrationRun): void;
  /** Stop the VM, send what must precede resuming (dirty disk blocks, device state), then resume remotely. */
  switchover(run: MigrationRun, opts: { all: boolean }): void;
  /** Send the vCPU and device state; the destination resumes when it arrives. */
  sendDeviceState(run: MigrationRun): void;
}
