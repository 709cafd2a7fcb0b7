import { PAGE_STATE_INFO, PageState, type PageStateId } from '../../../engine/migration/pageStates';

type Rgb = [number, number, number];

// Zero and "not there yet" are greys picked to stand apart from the panel in each theme;
// faulted-in is a strong magenta so the few pages post-copy pulls over are easy to spot.
const LIGHT: Record<PageStateId, Rgb> = {
  [PageState.Clean]: [186, 199, 220],
  [PageState.Dirty]: [232, 93, 77],
  [PageState.Queued]: [246, 182, 66],
  [PageState.InFlight]: [150, 90, 220],
  [PageState.Present]: [46, 160, 110],
  [PageState.WriteProtected]: [70, 120, 200],
  [PageState.FaultedIn]: [214, 30, 160],
  [PageState.Zero]: [128, 134, 146],
  [PageState.Missing]: [214, 218, 226],
  [PageState.Stale]: [160, 130, 60],
};

const DARK: Record<PageStateId, Rgb> = {
  ...LIGHT,
  [PageState.Clean]: [76, 92, 120],
  [PageState.FaultedIn]: [255, 70, 200],
  [PageState.Zero]: [160, 166, 178],
  [PageState.Missing]: [62, 68, 82],
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

export function cssColor(rgb: Rgb): string {
  return `rgb(${rgb[0]} ${rgb[1]} ${rgb[2]})`;
}

export const STATE_INFO: Record<number, (typeof PAGE_STATE_INFO)[number]> = Object.fromEntries(
  PAGE_STATE_INFO.map((s) => [s.id, s]),
);
