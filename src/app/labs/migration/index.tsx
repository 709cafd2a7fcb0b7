import type { MigrationMetrics } from '../../../engine/migration';
import type { LabUi } from '../types';
import { MetricsPanel } from './MetricsPanel';
import { MigrationCompare } from './MigrationCompare';
import { MigrationLab } from './MigrationLab';
import { legendTerms } from './pageColors';

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
  terms: legendTerms,
  vmMotions: (frame) =>
    ((frame.metrics.migration ?? []) as MigrationMetrics[])
      .filter((m) => ['setup', 'active', 'device', 'postcopy-active'].includes(m.status))
      // The VM stays in its source host until it resumes on the destination (a slot is kept for it
      // there): drawn part-way, it would sit across both hosts' borders and over the link's label.
      .map((m) => ({ vm: m.vm, to: m.to, progress: 0 })),
};
