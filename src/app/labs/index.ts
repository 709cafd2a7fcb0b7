import { migrationUi } from './migration';
import type { LabUi } from './types';

/** One lab per registered mechanism, by mechanism id (src/engine/mechanisms.ts). */
export const LAB_UIS: Record<string, LabUi> = {
  migration: migrationUi,
};
