import type { LabUi } from '../types';
import { legendTerms } from './colors';
import './pool.css';
import { PoolCompare } from './PoolCompare';
import { PoolLab, PoolSide } from './PoolLab';

export const poolUi: LabUi = {
  Main: PoolLab,
  Side: PoolSide,
  Compare: PoolCompare,
  terms: legendTerms,
};
