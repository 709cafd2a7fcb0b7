import { formatBytes, formatDuration } from '../engine/kernel/clock';

export { formatBytes, formatDuration };

export const fmtMs = (ms: number): string => formatDuration(Math.round(ms * 1e6));
const integers = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
export const fmtInt = (n: number): string => integers.format(Math.round(n));
export const fmtRate = (bytesPerSecond: number): string => `${formatBytes(bytesPerSecond)}/s`;

export function fmtSpeed(speed: number): string {
  if (!Number.isFinite(speed)) return 'max';
  return `${speed}×`;
}
