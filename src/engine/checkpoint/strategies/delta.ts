import type { CheckpointStrategy } from '.';
import { encodeXen } from './encode';

/**
 * Remus with Xen's checkpoint compression [xc_compression.c]: pages sent before are kept in an
 * LRU cache (8192 pages); a cached dirty page goes as a word-level delta against its copy, an
 * uncached one whole (and is cached). Compressed from the staging buffer after resume.
 */
export const delta: CheckpointStrategy = {
  label: 'Remus + Xen delta compression',
  encode: (run, batch) => {
    const cache = run.cache;
    if (!cache) throw new Error('delta needs its page cache');
    encodeXen(
      batch,
      run.staging,
      (p) => cache.hit(p),
      (p, bytes) => cache.insert(p, bytes),
    );
  },
  sendsEarly: () => false,
  usesFeedback: () => false,
};
