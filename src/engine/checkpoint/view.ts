import type { Nanos } from '../kernel/clock';
import type { CheckpointMechanism } from './mechanism';
import type { EpochStat } from './model';
import { currentResponses } from './output';
import { backupPageStates, primaryPageStates } from './pageStates';

/** Epochs a frame carries for the lanes and the bytes chart (the newest ones). */
export const VIEW_EPOCHS = 48;

export type EpochLane = Omit<EpochStat, 'feedback'>;

/** One protected VM as the lab draws it. */
export interface CheckpointEntryView {
  vm: string;
  primary: string;
  backup: string;
  strategy: string;
  status: string;
  epochMs: number;
  pages: number;
  primaryStates: Uint8Array;
  backupStates: Uint8Array;
  /** feedback: per page, in how many of the last 8 epochs it was dirtied (0-8); null for the others. */
  heat: Uint8Array | null;
  epochs: EpochLane[];
  /** The output buffer: responses held behind each epoch boundary, and those of the epoch running now. */
  held: { epoch: number; count: number }[];
  currentResponses: number;
  released: number;
  outputCommit: boolean;
  failNs: Nanos;
  detectNs: Nanos;
  committed: number;
  primaryHostIndex: number;
}

export interface CheckpointView {
  nowNs: Nanos;
  entries: CheckpointEntryView[];
}

export function checkpointView(mechanism: CheckpointMechanism, now: Nanos): CheckpointView {
  return {
    nowNs: now,
    entries: mechanism.runs.map((run) => {
      const s = run.s;
      const primaryStates = new Uint8Array(run.pages);
      const backupStates = new Uint8Array(run.pages);
      primaryPageStates(run, primaryStates, mechanism.world.hostsDown.has(run.primary));
      backupPageStates(run, backupStates);
      let heat: Uint8Array | null = null;
      if (run.strategy === 'feedback') {
        heat = new Uint8Array(run.pages);
        for (let p = 0; p < run.pages; p++) heat[p] = popcount8(run.history[p]);
      }
      return {
        vm: run.vm.id,
        primary: run.primary,
        backup: run.config.backup,
        strategy: run.strategy,
        status: s.status,
        epochMs: run.config.epochMs,
        pages: run.pages,
        primaryStates,
        backupStates,
        heat,
        epochs: s.epochs.slice(-VIEW_EPOCHS).map(({ feedback: _f, ...lane }) => lane),
        held: s.held.map((b) => ({ epoch: b.epoch, count: b.produced.length })),
        currentResponses: run.config.outputCommit ? currentResponses(run, now) : 0,
        released: s.released,
        outputCommit: run.config.outputCommit,
        failNs: s.failNs,
        detectNs: s.detectNs,
        committed: Math.max(0, s.committed),
        primaryHostIndex: mechanism.world.scenario.hosts.findIndex((h) => h.id === run.primary),
      };
    }),
  };
}

function popcount8(x: number): number {
  let n = 0;
  for (let v = x; v; v &= v - 1) n++;
  return n;
}

export function viewTransferables(view: CheckpointView): ArrayBuffer[] {
  return view.entries.flatMap((e) => [
    e.primaryStates.buffer as ArrayBuffer,
    e.backupStates.buffer as ArrayBuffer,
    ...(e.heat ? [e.heat.buffer as ArrayBuffer] : []),
  ]);
}
