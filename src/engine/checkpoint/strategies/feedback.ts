import { PAGE_SIZE } from '../../hw/guestMemory';
import type { CheckpointStrategy } from '.';
import { encodeRaw, encodeXen } from './encode';

/**
 * A page is worth sending as a diff when the backup saw its last change cost under a quarter
 * of a page as a delta (assumption: the patent gives no threshold).
 */
export const SMALL_DIFF_BYTES = PAGE_SIZE / 4;

/**
 * The patent (US9489265B2): the backup, which holds the previous contents, feeds back which
 * pages changed little; the primary keeps shadow copies of just those (a bounded LRU) and
 * sends their diffs. A per-page history of the last 8 epochs picks pages rarely re-dirtied,
 * which go while the VM runs. `diffs` and `history` switch each part off.
 */
export const feedback: CheckpointStrategy = {
  label: 'Feedback + history (the patent)',
  encode: (run, batch) => {
    const shadow = run.cache;
    if (!run.config.diffs || !shadow) {
      encodeRaw(batch);
      return;
    }
    encodeXen(
      batch,
      run.staging,
      (p) => (run.candidates.get(p) ? shadow.hit(p) : undefined),
      (p, bytes) => {
        // A candidate gets its shadow now; a page that had one keeps it in step with the backup.
        if (run.candidates.get(p) || shadow.has(p)) shadow.insert(p, bytes);
      },
    );
  },
  sendsEarly: (run) => run.config.history,
  usesFeedback: (run) => run.config.diffs,
};
