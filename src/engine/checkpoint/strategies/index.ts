import type { Batch, CheckpointRun } from '../model';
import type { CheckpointStrategyName } from '../schema';
import { delta } from './delta';
import { feedback } from './feedback';
import { remus } from './remus';

/** What differs between strategies; the epochs, the stream, output commit and failover are shared. */
export interface CheckpointStrategy {
  label: string;
  /** Turn a batch's captured pages into what crosses the link (after resume, or at once for an early batch). */
  encode(run: CheckpointRun, batch: Batch): void;
  /** Pages are sent while the VM runs (the patent's modification history). */
  sendsEarly(run: CheckpointRun): boolean;
  /** The backup tells the primary which pages to send as diffs. */
  usesFeedback(run: CheckpointRun): boolean;
}

export const STRATEGIES: Record<CheckpointStrategyName, CheckpointStrategy> = { remus, delta, feedback };

export const STRATEGY_LABELS: Record<CheckpointStrategyName, string> = {
  remus: remus.label,
  delta: delta.label,
  feedback: feedback.label,
};
