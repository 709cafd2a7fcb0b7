import type { PoolStrategyDriver } from './types';

/**
 * One sparse file per VM: allocated on write (holes read as zeros), but files the guest deletes
 * leave their blocks allocated in the host file (no discard passed down), and a sparse file
 * write on a full datastore fails at once with ENOSPC.
 */
export const thinFiles: PoolStrategyDriver = {
  label: 'thin files',
  preallocates: false,
  passesDiscard: false,
  redirects: false,
  zeroes: false,
  canQueue: false,
};
