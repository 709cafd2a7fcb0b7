import type { MigrationRun } from './model';
import type { MigrationOps } from './ops';

/** What differs between strategies; everything else (the link, the bytes, the checks) is shared. */
export interface StrategyDriver {
  /** Setup is done (dirty logging on): start sending. */
  begin(ops: MigrationOps, run: MigrationRun): void;
  /** The sender is idle and nothing is queued: end a round, stop the VM, or send the device state. */
  onPassDrained(ops: MigrationOps, run: MigrationRun): void;
  /** Before each chunk of a live pass: true when the strategy moved the run on itself (a sync, a stop). */
  atChunkBoundary?(ops: MigrationOps, run: MigrationRun): boolean;
}
