/** What one scenario may ask for: kept so a link can never make a tab run out of memory. */
export const LIMITS = {
  vmMemoryMiB: 4096,
  /** All VMs' memory and disks together; a migration doubles it (the destination copy). */
  totalMemoryMiB: 8192,
  diskMiB: 4096,
  hosts: 16,
  vms: 32,
  links: 64,
  /** Entries in one mechanism section (migrations, ...). */
  sectionEntries: 32,
  bandwidthMiBps: 100_000,
  latencyUs: 1_000_000,
  timeMs: 3_600_000,
  maxEvents: 20_000_000,
  defaultMaxEvents: 5_000_000,
} as const;
