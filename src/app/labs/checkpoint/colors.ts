import { BackupState, PrimaryState } from '../../../engine/checkpoint';

export type Rgb = [number, number, number];

/** One colour per page state, the same in both themes except the quiet ones. */
export const PRIMARY_COLORS = (dark: boolean): Record<number, Rgb> => ({
  [PrimaryState.clean]: dark ? [76, 92, 120] : [186, 199, 220],
  [PrimaryState.dirty]: [232, 93, 77],
  [PrimaryState.captured]: [150, 90, 220],
  [PrimaryState.sentEarly]: [30, 170, 200],
  [PrimaryState.down]: dark ? [62, 68, 82] : [120, 120, 130],
});

export const BACKUP_COLORS = (dark: boolean): Record<number, Rgb> => ({
  [BackupState.held]: [46, 140, 100],
  [BackupState.applied]: [120, 220, 120],
  [BackupState.incoming]: [150, 90, 220],
  [BackupState.copying]: dark ? [62, 68, 82] : [214, 218, 226],
  [BackupState.running]: [40, 120, 200],
});

/** History heat: dirtied in 0 of the last 8 epochs (cold, blue) up to 8 of 8 (hot, red). */
export const HEAT_COLORS = (dark: boolean): Record<number, Rgb> => {
  const out: Record<number, Rgb> = {};
  for (let n = 0; n <= 8; n++) {
    const t = n / 8;
    out[n] =
      n === 0
        ? dark
          ? [50, 60, 80]
          : [220, 226, 236]
        : [Math.round(60 + 190 * t), Math.round(140 - 90 * t), Math.round(220 - 170 * t)];
  }
  return out;
};

export const css = ([r, g, b]: Rgb): string => `rgb(${r}, ${g}, ${b})`;
