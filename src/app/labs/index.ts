import { checkpointUi } from './checkpoint';
import { migrationUi } from './migration';
import { networkUi } from './network';
import { passthroughUi } from './passthrough';
import { poolUi } from './pool';
import type { LabUi } from './types';

/** One lab per registered mechanism, by mechanism id (src/engine/mechanisms.ts). */
export const LAB_UIS: Record<string, LabUi> = {
  migration: migrationUi,
  checkpoint: checkpointUi,
  network: networkUi,
  pool: poolUi,
  passthrough: passthroughUi,
};
