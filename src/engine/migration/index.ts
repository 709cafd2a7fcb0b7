import { MiB } from '../kernel/clock';
import { defineMechanism } from '../mechanismDefinition';
import { sectionOf, type WorldScenario } from '../scenario/fields';
import { MIGRATION_BREAKPOINTS } from './breakpoints';
import { inspectPage } from './inspect';
import { MIGRATION_LESSONS } from './lessons';
import { MigrationMechanism } from './mechanism';
import { migrationMetrics } from './metrics';
import { MIGRATION_PRESETS } from './presets';
import { MIGRATION_REPORT } from './report';
import { checkMigrations, type MigrationConfig, MigrationSchema, MigrationStrategySchema } from './schema';
import { STRATEGY_LABELS } from './strategies';
import { migrationView } from './view';

export { MigrationMechanism } from './mechanism';
export { type MigrationMetrics, migrationMetrics } from './metrics';
export { MigrationRun, type MigrationStatus, type RoundStat } from './model';
export {
  destinationPageStates,
  PAGE_STATE_INFO,
  PageState,
  type PageStateId,
  sourcePageStates,
} from './pageStates';
export { STRATEGIES, STRATEGY_LABELS } from './strategies';
export type { MigrationGrid, MigrationView } from './view';

/** Live migration (US10073713B2, US9354921B2): stop-and-copy, pre-copy, post-copy and the write-protect hybrid. */
export const migration = defineMechanism({
  id: 'migration',
  label: 'Live migration',
  key: 'migrations',
  schema: MigrationSchema,
  crossCheck: (s) => checkMigrations({ ...s, migrations: migrationsOf(s) }),
  estimateBytes: (s) =>
    migrationsOf(s).flatMap((m) => {
      const vm = s.vms.find((v) => v.id === m.vm);
      if (!vm) return [];
      const items = [{ item: `the destination's copy of ${vm.id}'s memory`, bytes: vm.memoryMiB * MiB }];
      if (m.storage === 'local' && vm.diskMiB > 0)
        items.push({ item: `the destination's copy of ${vm.id}'s disk`, bytes: vm.diskMiB * MiB });
      if (m.xbzrle && m.strategy === 'precopy')
        items.push({ item: `${vm.id}'s XBZRLE page cache`, bytes: m.xbzrle.cacheMiB * MiB });
      return items;
    }),
  install: (world) => new MigrationMechanism(world),
  metrics: (mechanism, now) => mechanism.runs.map((r) => migrationMetrics(r, now)),
  view: (mechanism) => migrationView(mechanism),
  transferables: (view) => view.grids.flatMap((g) => [g.source.buffer, g.destination.buffer]) as ArrayBuffer[],
  linkLoad: (mechanism, link) =>
    mechanism.runs
      .filter((m) => m.link === link && m.s.senderBusy)
      .reduce((sum, m) => sum + link.shareFor(m.capBytesPerSecond), 0),
  eventPrefixes: ['mig.'],
  subjectOf: (mechanism, event) => mechanism.runs[event.mig as number]?.vm.id ?? '',
  floodLogKinds: ['migration.fault'],
  breakpoints: MIGRATION_BREAKPOINTS,
  variants: MigrationStrategySchema.options.map((strategy) => ({
    id: strategy,
    label: STRATEGY_LABELS[strategy],
    apply: (s) => {
      const [first, ...rest] = migrationsOf(s);
      return { ...s, migrations: [{ ...first, strategy }, ...rest] };
    },
  })),
  presets: MIGRATION_PRESETS,
  lessons: MIGRATION_LESSONS,
  report: MIGRATION_REPORT,
  inspect: (mechanism, query, sim) => inspectPage(mechanism, query, sim),
});

function migrationsOf(s: WorldScenario): MigrationConfig[] {
  return sectionOf<MigrationConfig>(s, 'migrations');
}
