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
