/** Every rate in the migration lab is in MiB/s, so dirty rate and bandwidth compare at a glance. */
export const fmtMiBps = (v: number): string => `${v.toFixed(v >= 100 ? 0 : 1)} MiB/s`;
