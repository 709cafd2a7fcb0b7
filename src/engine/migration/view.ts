import type { MigrationMechanism } from './mechanism';
import { destinationPageStates, sourcePageStates } from './pageStates';

/** One migration's page grids: a state per page (see PageState). */
export interface MigrationGrid {
  vm: string;
  from: string;
  to: string;
  pages: number;
  source: Uint8Array;
  destination: Uint8Array;
}

/** What a frame carries for the migration lab. */
export interface MigrationView {
  grids: MigrationGrid[];
}

export function migrationView(mechanism: MigrationMechanism): MigrationView {
  return {
    grids: mechanism.runs.map((m) => {
      const source = new Uint8Array(m.pages);
      const destination = new Uint8Array(m.pages);
      sourcePageStates(m, source);
      destinationPageStates(m, destination);
      return { vm: m.vm.id, from: m.from, to: m.config.to, pages: m.pages, source, destination };
    }),
  };
}
