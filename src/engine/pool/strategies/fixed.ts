import type { PoolStrategyDriver } from './types';

/** The baseline, like VMware's .vswp or a thick local disk: the whole disk preallocated at power-on. */
export const fixed: PoolStrategyDriver = {
  label: 'fixed disks',
  preallocates: true,
  passesDiscard: false,
  redirects: false,
  zeroes: false,
  canQueue: false,
};
