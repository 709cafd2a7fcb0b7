/** Simulation time: an integer count of nanoseconds (exact in a JS number up to 2^53 ns, about 104 days). */
export type Nanos = number;

export const NS_PER_US = 1_000;
export const NS_PER_MS = 1_000_000;
export const NS_PER_S = 1_000_000_000;
export const MiB = 1 << 20;
export const KiB = 1 << 10;

export const usToNs = (us: number): Nanos => Math.round(us * NS_PER_US);
export const msToNs = (ms: number): Nanos => Math.round(ms * NS_PER_MS);
export const nsToMs = (ns: Nanos): number => ns / NS_PER_MS;
export const nsToS = (ns: Nanos): number => ns / NS_PER_S;

/** Time to move `bytes` at `bytesPerSecond`, rounded up to a whole nanosecond. */
export function transferNs(bytes: number, bytesPerSecond: number): Nanos {
  if (bytes <= 0) return 0;
  return Math.ceil((bytes * NS_PER_S) / bytesPerSecond);
}

/** Bytes a rate produces over `ns`, rounded down. */
export function bytesIn(ns: Nanos, bytesPerSecond: number): number {
  return Math.floor((ns * bytesPerSecond) / NS_PER_S);
}

export function formatDuration(ns: Nanos): string {
  const abs = Math.abs(ns);
  if (abs >= NS_PER_S) return `${(ns / NS_PER_S).toFixed(2)} s`;
  if (abs >= NS_PER_MS) return `${(ns / NS_PER_MS).toFixed(abs >= 100 * NS_PER_MS ? 0 : 1)} ms`;
  if (abs >= NS_PER_US) return `${(ns / NS_PER_US).toFixed(1)} µs`;
  return `${ns} ns`;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1 << 30) return `${(bytes / (1 << 30)).toFixed(2)} GiB`;
  if (bytes >= MiB) return `${(bytes / MiB).toFixed(bytes >= 100 * MiB ? 0 : 1)} MiB`;
  if (bytes >= KiB) return `${(bytes / KiB).toFixed(1)} KiB`;
  return `${bytes} B`;
}

export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
