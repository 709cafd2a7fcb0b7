import { BACKUP_STATE_INFO, BackupState, PRIMARY_STATE_INFO, PrimaryState } from '../../../engine/checkpoint';
import type { Pattern } from '../patterns';
import type { LegendTerm } from '../types';

export type Rgb = [number, number, number];

// The Okabe-Ito palette (Okabe & Ito 2008), told apart under deuteranopia, protanopia and
// tritanopia, with a pattern per state for the legend (a page here is one or two pixels: the
// hover text and the keyboard cursor name its state). "On its way" is reddish purple on both grids.
const VERMILLION: Rgb = [213, 94, 0];
const PURPLE: Rgb = [204, 121, 167];
const SKY: Rgb = [86, 180, 233];
const GREEN: Rgb = [0, 158, 115];
const YELLOW: Rgb = [240, 228, 66];
const BLUE: Rgb = [0, 114, 178];

/** One colour per page state, the same in both themes except the quiet ones. */
export const PRIMARY_COLORS = (dark: boolean): Record<number, Rgb> => ({
  [PrimaryState.clean]: dark ? [76, 92, 120] : [196, 203, 216],
  [PrimaryState.dirty]: VERMILLION,
  [PrimaryState.captured]: PURPLE,
  [PrimaryState.sentEarly]: SKY,
  [PrimaryState.down]: dark ? [62, 68, 82] : [120, 126, 138],
});

export const PRIMARY_PATTERNS: Record<number, Pattern> = {
  [PrimaryState.clean]: 'solid',
  [PrimaryState.dirty]: 'hatch',
  [PrimaryState.captured]: 'dots',
  [PrimaryState.sentEarly]: 'vstripes',
  [PrimaryState.down]: 'cross',
};

export const BACKUP_COLORS = (dark: boolean): Record<number, Rgb> => ({
  [BackupState.held]: GREEN,
  [BackupState.applied]: YELLOW,
  [BackupState.incoming]: PURPLE,
  [BackupState.copying]: dark ? [62, 68, 82] : [214, 218, 226],
  [BackupState.running]: BLUE,
});

export const BACKUP_PATTERNS: Record<number, Pattern> = {
  [BackupState.held]: 'solid',
  [BackupState.applied]: 'backhatch',
  [BackupState.incoming]: 'dots',
  [BackupState.copying]: 'hstripes',
  [BackupState.running]: 'solid',
};

/**
 * The two grids' legend words with their colours and patterns, for lesson captions ("in flight" names
 * the same reddish purple dots on both grids). The history grid's counts are numbers, not words.
 */
export function legendTerms(dark: boolean): LegendTerm[] {
  const primary = PRIMARY_COLORS(dark);
  const backup = BACKUP_COLORS(dark);
  return [
    ...PRIMARY_STATE_INFO.map((s) => ({ name: s.name, rgb: primary[s.id], pattern: PRIMARY_PATTERNS[s.id] })),
    ...BACKUP_STATE_INFO.map((s) => ({ name: s.name, rgb: backup[s.id], pattern: BACKUP_PATTERNS[s.id] })),
  ];
}

/** Viridis, sampled at 8 points: its lightness rises with the count, so it reads without hue. */
const VIRIDIS: Rgb[] = [
  [68, 1, 84],
  [70, 50, 126],
  [54, 92, 141],
  [39, 127, 142],
  [31, 161, 135],
  [74, 193, 109],
  [160, 218, 57],
  [253, 231, 37],
];

/** History heat: dirtied in 0 of the last 8 epochs (the quiet background) up to 8 of 8 (bright yellow). */
export const HEAT_COLORS = (dark: boolean): Record<number, Rgb> => {
  const out: Record<number, Rgb> = { 0: dark ? [50, 60, 80] : [220, 226, 236] };
  for (let n = 1; n <= 8; n++) out[n] = VIRIDIS[n - 1];
  return out;
};

export const HEAT_PATTERNS: Record<number, Pattern> = {};

export const css = ([r, g, b]: Rgb): string => `rgb(${r}, ${g}, ${b})`;
