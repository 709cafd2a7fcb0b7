import { PAGE_STATE_INFO, PageState, type PageStateId } from '../../../engine/migration/pageStates';
import type { Pattern } from '../patterns';
import type { LegendTerm } from '../types';

type Rgb = [number, number, number];

/**
 * The Okabe-Ito palette (Okabe & Ito, "Color Universal Design", 2008), told apart under
 * deuteranopia, protanopia and tritanopia: its seven hues for the seven states that move, and
 * greys of distinct lightness for clean, zero and "not there yet". Each state also has a pattern
 * (legend swatches, the faulted-in markers): on a 256 x 256 grid a page is one pixel, too small
 * for a pattern, so there the hover text and the keyboard cursor name the state.
 */
const LIGHT: Record<PageStateId, Rgb> = {
  [PageState.Clean]: [196, 203, 216],
  [PageState.Dirty]: [213, 94, 0], // vermillion
  [PageState.Queued]: [230, 159, 0], // orange
  [PageState.InFlight]: [0, 114, 178], // blue
  [PageState.Present]: [0, 158, 115], // bluish green
  [PageState.WriteProtected]: [86, 180, 233], // sky blue
  [PageState.FaultedIn]: [204, 121, 167], // reddish purple
  [PageState.Zero]: [120, 126, 138],
  [PageState.Missing]: [228, 231, 237],
  [PageState.Stale]: [240, 228, 66], // yellow
};

const DARK: Record<PageStateId, Rgb> = {
  ...LIGHT,
  [PageState.Clean]: [76, 92, 120],
  [PageState.Zero]: [160, 166, 178],
  [PageState.Missing]: [52, 58, 70],
};

/** The non-colour cue of each state. */
export const PAGE_PATTERNS: Record<PageStateId, Pattern> = {
  [PageState.Clean]: 'solid',
  [PageState.Dirty]: 'hatch',
  [PageState.Queued]: 'dots',
  [PageState.InFlight]: 'hstripes',
  [PageState.Present]: 'solid',
  [PageState.WriteProtected]: 'vstripes',
  [PageState.FaultedIn]: 'ring',
  [PageState.Zero]: 'cross',
  [PageState.Missing]: 'solid',
  [PageState.Stale]: 'backhatch',
};

/** The states each grid can show, in the order a page moves through them. */
export const SOURCE_STATES: PageStateId[] = [
  PageState.Clean,
  PageState.Zero,
  PageState.Dirty,
  PageState.Queued,
  PageState.InFlight,
  PageState.WriteProtected,
];
export const DESTINATION_STATES: PageStateId[] = [
  PageState.Missing,
  PageState.InFlight,
  PageState.Stale,
  PageState.Present,
  PageState.FaultedIn,
];

export function palette(dark: boolean): Record<PageStateId, Rgb> {
  return dark ? DARK : LIGHT;
}

/** The legend's words with their colours and patterns, for lesson captions. */
export function legendTerms(dark: boolean): LegendTerm[] {
  const colours = palette(dark);
  return PAGE_STATE_INFO.map((st) => ({ name: st.name, rgb: colours[st.id], pattern: PAGE_PATTERNS[st.id] }));
}

export function cssColor(rgb: Rgb): string {
  return `rgb(${rgb[0]} ${rgb[1]} ${rgb[2]})`;
}

export const STATE_INFO: Record<number, (typeof PAGE_STATE_INFO)[number]> = Object.fromEntries(
  PAGE_STATE_INFO.map((s) => [s.id, s]),
);
