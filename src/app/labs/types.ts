import type { ReactNode } from 'react';
import type { CompareEntry } from '../../engine/compare';
import type { Frame } from '../../worker/protocol';
import type { VmMotion } from '../views/topology/Topology';
import type { Pattern } from './patterns';

/**
 * A word a lab's legend shows for a state, drawn as that legend draws it (from the same colour module):
 * a swatch of its colour with its pattern, or the legend's own CSS classes for a text sample.
 */
export type LegendTerm = { name: string } & (
  | { rgb: readonly [number, number, number]; pattern: Pattern }
  | { textClass: string }
);

/** A lab's views, mirroring its engine folder: the main area, the side panels, the comparison. */
export interface LabUi {
  Main: (props: { frame: Frame }) => ReactNode;
  Side: (props: { frame: Frame }) => ReactNode;
  Compare: (props: { results: CompareEntry[] }) => ReactNode;
  /** The legend's words a lesson caption marks where it uses them, each drawn as in the legend. */
  terms?: (dark: boolean) => LegendTerm[];
  /** VMs on their way between hosts now, drawn part-way on the topology. */
  vmMotions?: (frame: Frame) => VmMotion[];
}
