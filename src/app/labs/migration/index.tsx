import type { MigrationMetrics } from '../../../engine/migration';
import type { LabUi } from '../types';
import { MetricsPanel } from './MetricsPanel';
import { MigrationCompare } from './MigrationCompare';
import { MigrationLab } from './MigrationLab';

export const migrationUi: LabUi = {
  Main: MigrationLab,
  Side: ({ frame }) => (
    <>
      {((frame.metrics.migration ?? []) as MigrationMetrics[]).map((m) => (
        <MetricsPanel key={m.vm} m={m} />
      ))}
    </>
  ),
  Compare: MigrationCompare,
};
