import { MiB } from '../kernel/clock';
import { defineMechanism } from '../mechanismDefinition';
import { sectionOf, type WorldScenario } from '../scenario/fields';
import { CHECKPOINT_BREAKPOINTS } from './breakpoints';
import { inspectPage } from './inspect';
import { CHECKPOINT_LESSONS } from './lessons';
import { CheckpointMechanism } from './mechanism';
import { checkpointMetrics } from './metrics';
import { CHECKPOINT_PRESETS } from './presets';
import { CHECKPOINT_REPORT } from './report';
import { type CheckpointConfig, CheckpointSchema, checkCheckpoints, HOST_FIELDS } from './schema';
import { STRATEGY_LABELS } from './strategies';
import { checkpointView, viewTransferables } from './view';

export { CheckpointMechanism } from './mechanism';
export type { CheckpointMetrics } from './metrics';
export { BACKUP_STATE_INFO, BackupState, PRIMARY_STATE_INFO, PrimaryState } from './pageStates';
export { STRATEGY_LABELS } from './strategies';
export type { CheckpointEntryView, CheckpointView, EpochLane } from './view';

const variant = (id: string, label: string, patch: Partial<CheckpointConfig>) => ({
  id,
  label,
  apply: (s: WorldScenario) => {
    const [first, ...rest] = checkpointsOf(s);
    return { ...s, checkpoints: [{ ...first, diffs: true, history: true, ...patch }, ...rest] };
  },
});

/** Frequent checkpointing for fault tolerance (US9489265B2): Remus, Xen's delta, and the patent's feedback. */
export const checkpoint = defineMechanism({
  id: 'checkpoint',
  label: 'Checkpointing',
  key: 'checkpoints',
  schema: CheckpointSchema,
  extends: { hosts: HOST_FIELDS },
  crossCheck: (s) => checkCheckpoints(s, checkpointsOf(s)),
  estimateBytes: (s) =>
    checkpointsOf(s).flatMap((c) => {
      const vm = s.vms.find((v) => v.id === c.vm);
      if (!vm) return [];
      const copies = vm.memoryMiB + vm.diskMiB;
      const items = [
        { item: `the backup's copy of ${vm.id}'s memory and disk`, bytes: copies * MiB },
        { item: `the reference ${vm.id}'s backup is checked against`, bytes: copies * MiB },
      ];
      if (c.strategy === 'delta' || (c.strategy === 'feedback' && c.diffs))
        items.push({ item: `${vm.id}'s page cache`, bytes: c.cachePages * 4096 });
      return items;
    }),
  install: (world) => new CheckpointMechanism(world),
  metrics: (mechanism, now) => mechanism.runs.map((r) => checkpointMetrics(r, now)),
  view: (mechanism, now) => checkpointView(mechanism, now),
  transferables: (view) => viewTransferables(view),
  linkLoad: (mechanism, link) =>
    mechanism.runs.some((r) => r.link === link && r.s.linkFreeNs > mechanism.sim.now) ? link.shareFor() : 0,
  eventPrefixes: ['checkpoint.', 'output.release'],
  subjectOf: (mechanism, event) => mechanism.runs[event.ck as number]?.vm.id ?? '',
  breakpoints: CHECKPOINT_BREAKPOINTS,
  variants: [
    variant('remus', STRATEGY_LABELS.remus, { strategy: 'remus' }),
    variant('delta', STRATEGY_LABELS.delta, { strategy: 'delta' }),
    variant('feedback', STRATEGY_LABELS.feedback, { strategy: 'feedback' }),
    variant('feedback-no-history', 'Feedback, diffs only (history off)', { strategy: 'feedback', history: false }),
    variant('feedback-no-diffs', 'Feedback, history only (diffs off)', { strategy: 'feedback', diffs: false }),
  ],
  presets: CHECKPOINT_PRESETS,
  lessons: CHECKPOINT_LESSONS,
  report: CHECKPOINT_REPORT,
  inspect: (mechanism, query, sim) => inspectPage(mechanism, query, sim),
});

function checkpointsOf(s: WorldScenario): CheckpointConfig[] {
  return sectionOf<CheckpointConfig>(s, 'checkpoints');
}
