import { type MigrationMetrics, PAGE_STATE_INFO } from '../../../engine/migration';
import { swatchStyle } from '../patterns';
import type { LabUi } from '../types';
import { MetricsPanel } from './MetricsPanel';
import { MigrationCompare } from './MigrationCompare';
import { MigrationLab } from './MigrationLab';
import { PAGE_PATTERNS, palette } from './pageColors';

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
  terms: (dark) =>
    Object.fromEntries(PAGE_STATE_INFO.map((st) => [st.name, swatchStyle(palette(dark)[st.id], PAGE_PATTERNS[st.id])])),
  vmMotions: (frame) =>
    ((frame.metrics.migration ?? []) as MigrationMetrics[])
      .filter((m) => ['setup', 'active', 'device', 'postcopy-active'].includes(m.status))
      // The VM stays in its source host until it resumes on the destination (a slot is kept for it
      // there): drawn part-way, it would sit across both hosts' borders and over the link's label.
      .map((m) => ({ vm: m.vm, to: m.to, progress: 0 })),
};
