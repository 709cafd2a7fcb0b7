import type { DeviceMetrics } from '../../../engine/passthrough';
import type { LabUi } from '../types';
import { legendTerms } from './colors';
import { MetricsPanel } from './MetricsPanel';
import { PassthroughCompare } from './PassthroughCompare';
import { PassthroughLab } from './PassthroughLab';
import './passthrough.css';

export const passthroughUi: LabUi = {
  Main: PassthroughLab,
  Side: ({ frame }) => {
    const migrations = (frame.metrics.migration ?? []) as { status: string; note: string; vm: string }[];
    return (
      <>
        {((frame.metrics.passthrough ?? []) as DeviceMetrics[])
          .filter((m) => m.vm || m.ios > 0)
          .map((m) => (
            <MetricsPanel key={m.id} m={m} migrations={migrations} />
          ))}
      </>
    );
  },
  Compare: PassthroughCompare,
  terms: legendTerms,
};
