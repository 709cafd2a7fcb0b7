import { formatBytes, formatDuration } from '../engine/kernel/clock';

export { formatBytes, formatDuration };

export const fmtMs = (ms: number): string => formatDuration(Math.round(ms * 1e6));
export const fmtInt = (n: number): string => Math.round(n).toLocaleString('en-US');
export const fmtRate = (bytesPerSecond: number): string => `${formatBytes(bytesPerSecond)}/s`;

export function fmtSpeed(speed: number): string {
  if (!Number.isFinite(speed)) return 'max';
  return `${speed}×`;
}
