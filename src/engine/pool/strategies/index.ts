import type { PoolStrategy } from '../schema';
import { fixed } from './fixed';
import { pool } from './pool';
import { thinFiles } from './thinFiles';
import type { PoolStrategyDriver } from './types';

export type { PoolStrategyDriver } from './types';

export const POOL_STRATEGIES: Record<PoolStrategy, PoolStrategyDriver> = {
  fixed,
  'thin-files': thinFiles,
  pool,
};
