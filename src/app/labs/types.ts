import type { ReactNode } from 'react';
import type { CompareEntry } from '../../engine/compare';
import type { Frame } from '../../worker/protocol';
import type { VmMotion } from '../views/topology/Topology';

/** A lab's views, mirroring its engine folder: the main area, the side panels, the comparison. */
export interface LabUi {
  Main: (props: { frame: Frame }) => ReactNode;
  Side: (props: { frame: Frame }) => ReactNode;
  Compare: (props: { results: CompareEntry[] }) => ReactNode;
  /** Words a lesson caption may use that name a legend entry, and that entry's swatch style. */
  terms?: (dark: boolean) => Record<string, React.CSSProperties>;
  /** VMs on their way between hosts now, drawn part-way on the topology. */
  vmMotions?: (frame: Frame) => VmMotion[];
}
