import { type Pattern, rgbOf } from '../patterns';
import type { LegendTerm } from '../types';

/**
 * One colour per flow: the seven hues of the Okabe-Ito palette (Okabe & Ito 2008), told apart
 * under deuteranopia, protanopia and tritanopia, then repeating. A slot's flow is also in its
 * hover text and its inspection; a slot's state is its shape (hollow, disk, square).
 */
export const FLOW_COLORS = ['#0072b2', '#e69f00', '#009e73', '#d55e00', '#cc79a7', '#56b4e9', '#f0e442'];
export const flowColor = (f: number) => FLOW_COLORS[f % FLOW_COLORS.length];

/** The CPU categories, each with its pattern in the bars and the legend. */
export const CPU_COLORS = { guest: '#009e73', vmm: '#d55e00', kernel: '#0072b2', idle: '#e5e7eb' };
export const CPU_RGB = {
  guest: rgbOf(CPU_COLORS.guest),
  vmm: rgbOf(CPU_COLORS.vmm),
  kernel: rgbOf(CPU_COLORS.kernel),
  idle: rgbOf(CPU_COLORS.idle),
};
export const CPU_PATTERNS: Record<keyof typeof CPU_COLORS, Pattern> = {
  guest: 'solid',
  vmm: 'hatch',
  kernel: 'dots',
  idle: 'solid',
};

/** The CPU legend's words with their colours and patterns, for lesson captions (a flow's colour names no state). */
export const legendTerms = (): LegendTerm[] =>
  (Object.keys(CPU_RGB) as (keyof typeof CPU_RGB)[]).map((k) => ({
    name: k,
    rgb: CPU_RGB[k],
    pattern: CPU_PATTERNS[k],
  }));
