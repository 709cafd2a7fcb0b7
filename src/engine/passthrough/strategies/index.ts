import type { DeviceStrategy } from '../schema';
import { directUnsafe } from './directUnsafe';
import { emulated } from './emulated';
import { passthrough } from './passthrough';
import type { DeviceStrategyImpl } from './types';

export const STRATEGIES: Record<DeviceStrategy, DeviceStrategyImpl> = {
  emulated,
  passthrough,
  'direct-unsafe': directUnsafe,
};

export const STRATEGY_LABELS: Record<DeviceStrategy, string> = {
  emulated: emulated.label,
  passthrough: passthrough.label,
  'direct-unsafe': directUnsafe.label,
};

export type { DeviceStrategyImpl, DmaRoute, IoCost } from './types';
