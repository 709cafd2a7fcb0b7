import { BYTE_CLASS_INFO, ByteClass } from '../../../engine/passthrough/view';
import type { LegendTerm } from '../types';

/**
 * The CSS class of each policy class of a config byte (legend in ConfigDump): a colour from the
 * Okabe-Ito palette (Okabe & Ito 2008, told apart under colour blindness), darkened in the light
 * theme and lightened in the dark one to keep 4.5:1 text contrast, and its own underline style
 * (dotted, double, solid, wavy, dashed, overline) so the class reads without colour.
 * The styles are in passthrough.css.
 */
export const CLASS_STYLE: Record<number, string> = {
  [ByteClass.unassigned]: 'pt-class-unassigned',
  [ByteClass.copied]: 'pt-class-copied',
  [ByteClass.virtualized]: 'pt-class-virtualized',
  [ByteClass.passedThrough]: 'pt-class-passed',
  [ByteClass.readOnly]: 'pt-class-readonly',
  [ByteClass.mixed]: 'pt-class-mixed',
  [ByteClass.emulated]: 'pt-class-emulated',
  [ByteClass.physical]: 'pt-class-physical',
};

/**
 * The class legend's words for lesson captions, each drawn with the legend's own classes (the colour
 * variables of .pt-legend and the class's underline style), so caption and legend share one source.
 */
export const legendTerms = (): LegendTerm[] =>
  BYTE_CLASS_INFO.map((c) => ({ name: c.name, textClass: `pt-legend ${CLASS_STYLE[c.id]}` }));

export const PATH_LABELS: Record<string, string> = {
  virtual: 'trapped → the virtual copy',
  hardware: 'trapped → the hardware',
  dropped: 'trapped → dropped (no writable bits)',
  emulated: 'trapped → the software device',
  trapped: 'MMIO trapped → the VMM’s MSI-X table',
};
