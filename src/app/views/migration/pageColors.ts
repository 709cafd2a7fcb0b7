import { PAGE_STATE_INFO, PageState, type PageStateId } from '../../../engine/migration/pageStates';

type Rgb = [number, number, number];

const LIGHT: Record<PageStateId, Rgb> = {
  [PageState.Clean]: [196, 206, 222],
  [PageState.Dirty]: [232, 93, 77],
  [PageState.Queued]: [246, 182, 66],
  [PageState.InFlight]: [150, 90, 220],
  [PageState.Present]: [46, 160, 110],
  [PageState.WriteProtected]: [70, 120, 200],
  [PageState.FaultedIn]: [0, 190, 210],
  [PageState.Zero]: [238, 240, 244],
  [PageState.Missing]: [226, 229, 235],
  [PageState.Stale]: [160, 130, 60],
};

const DARK: Record<PageStateId, Rgb> = {
  ...LIGHT,
  [PageState.Clean]: [74, 86, 106],
  [PageState.Zero]: [38, 42, 50],
  [PageState.Missing]: [48, 52, 62],
};

export function palette(dark: boolean): Record<PageStateId, Rgb> {
  return dark ? DARK : LIGHT;
}

export function cssColor(rgb: Rgb): string {
  return `rgb(${rgb[0]} ${rgb[1]} ${rgb[2]})`;
}

export const STATE_NAMES: Record<number, string> = Object.fromEntries(PAGE_STATE_INFO.map((s) => [s.id, s.name]));
