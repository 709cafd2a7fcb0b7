import type { LabUi } from '../types';
import { legendTerms } from './colors';
import './network.css';
import { NetworkCompare } from './NetworkCompare';
import { NetworkLab, NetworkSide } from './NetworkLab';

export const networkUi: LabUi = {
  Main: NetworkLab,
  Side: NetworkSide,
  Compare: NetworkCompare,
  terms: legendTerms,
};
