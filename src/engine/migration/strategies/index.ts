import type { MigrationStrategy as Strategy } from '../schema';
import type { StrategyDriver } from '../strategy';
import { hybrid } from './hybrid';
import { postcopy } from './postcopy';
import { precopy } from './precopy';
import { stopcopy } from './stopcopy';

export const STRATEGIES: Record<Strategy, StrategyDriver> = { stopcopy, precopy, postcopy, hybrid };

export const STRATEGY_LABELS: Record<Strategy, string> = {
  stopcopy: 'stop-and-copy',
  precopy: 'pre-copy',
  postcopy: 'post-copy',
  hybrid: 'hybrid (write-protect)',
};
