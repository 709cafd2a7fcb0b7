import type { NetStrategy } from '../schema';
import { cluster } from './cluster';
import { eventIdx } from './eventIdx';
import { perPacket } from './perPacket';
import { timer } from './timer';

export const STRATEGIES = { 'per-packet': perPacket, 'event-idx': eventIdx, timer, cluster } as const;

export const STRATEGY_LABELS: Record<NetStrategy, string> = {
  'per-packet': perPacket.label,
  'event-idx': eventIdx.label,
  timer: timer.label,
  cluster: cluster.label,
};
