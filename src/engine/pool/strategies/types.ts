/** What sets a strategy apart; the mechanism's events consult these and nothing else. */
export interface PoolStrategyDriver {
  label: string;
  /** Each VM's whole disk is taken at power-on; a VM whose disk does not fit does not start. */
  preallocates: boolean;
  /** The guest's discards reach the datastore, so deleted data frees extents. */
  passesDiscard: boolean;
  /** Each command is looked up in the disk's extent map (costs `redirectUs`). */
  redirects: boolean;
  /** A new extent is zeroed when `zeroOnAllocate` (else tracked as unwritten); sparse files use holes. */
  zeroes: boolean;
  /** `whenFull: queue` applies (dm-thin's no_space_timeout); otherwise a full datastore fails the write. */
  canQueue: boolean;
}
