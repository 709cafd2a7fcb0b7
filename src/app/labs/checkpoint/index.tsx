import type { CheckpointMetrics } from '../../../engine/checkpoint';
import type { LabUi } from '../types';
import { legendTerms } from './colors';
import './checkpoint.css';
import { CheckpointCompare } from './CheckpointCompare';
import { CheckpointLab } from './CheckpointLab';
import { MetricsPanel } from './MetricsPanel';

export const checkpointUi: LabUi = {
  Main: CheckpointLab,
  Side: ({ frame }) => (
    <>
      {((frame.metrics.checkpoint ?? []) as CheckpointMetrics[]).map((m) => (
        <MetricsPanel key={m.vm} m={m} />
      ))}
    </>
  ),
  Compare: CheckpointCompare,
  terms: legendTerms,
};
