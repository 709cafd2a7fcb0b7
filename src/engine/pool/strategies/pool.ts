import type { PoolStrategyDriver } from './types';

/** The patent: one pool file for every VM, extents allocated on demand, reclaimed on discard, isolated. */
export const pool: PoolStrategyDriver = {
  label: 'elastic pool',
  preallocates: false,
  passesDiscard: true,
  redirects: true,
  zeroes: true,
  canQueue: true,
};
