import { type Pattern, rgbOf } from '../patterns';
import type { LegendTerm } from '../types';

/**
 * The Okabe-Ito hues (Okabe & Ito 2008), told apart under deuteranopia, protanopia and
 * tritanopia, for the first seven VMs; more VMs take hues by the golden angle. The same in every
 * view of the lab; the disk strips name each VM's row, the block map's inspection names an owner.
 */
const OKABE_ITO = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#56b4e9', '#d55e00', '#f0e442'];

export function vmColor(index: number): string {
  if (index < OKABE_ITO.length) return OKABE_ITO[index];
  const hue = (index * 137.508 + 20) % 360;
  const light = index % 2 === 0 ? 48 : 62;
  return `hsl(${hue.toFixed(1)} 65% ${light}%)`;
}

export const FREE_COLOR = '#e3e6ec';
export const STALE_COLOR = '#c4c9d4';
export const DISCARD_COLOR = '#3a3f4b';
/** Extent states beside their owner's colour: each with a mark drawn on its cell and its legend swatch. */
export const EXTENT_PATTERNS = { stale: 'dots', zeroing: 'hatch', discarding: 'cross' } as const satisfies Record<
  string,
  Pattern
>;

export const JOB_COLORS = { running: '#0072b2', completed: '#009e73', failed: '#d55e00', waiting: '#9aa3b5' } as const;
export const JOB_RGB = {
  running: rgbOf(JOB_COLORS.running),
  completed: rgbOf(JOB_COLORS.completed),
  failed: rgbOf(JOB_COLORS.failed),
  waiting: rgbOf(JOB_COLORS.waiting),
};
export const JOB_PATTERNS: Record<keyof typeof JOB_COLORS, Pattern> = {
  running: 'hstripes',
  completed: 'solid',
  failed: 'cross',
  waiting: 'dots',
};

/**
 * The legend words of the block map and the jobs timeline with their colours and marks, for lesson
 * captions: an extent's state and a job's. (A VM's own colour names an owner, not a state.)
 */
export const legendTerms = (): LegendTerm[] => [
  { name: 'free', rgb: rgbOf(FREE_COLOR), pattern: 'solid' },
  { name: 'free, old bytes still there', rgb: rgbOf(STALE_COLOR), pattern: EXTENT_PATTERNS.stale },
  { name: 'being zeroed', rgb: rgbOf(vmColor(0)), pattern: EXTENT_PATTERNS.zeroing },
  { name: 'being discarded', rgb: rgbOf(DISCARD_COLOR), pattern: EXTENT_PATTERNS.discarding },
  ...(['running', 'completed', 'failed'] as const).map((k) => ({ name: k, rgb: JOB_RGB[k], pattern: JOB_PATTERNS[k] })),
];
