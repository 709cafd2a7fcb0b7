import type { LogEntry, PhaseSpan } from '../engine/kernel/simulation';
import type { MigrationMetrics } from '../engine/migration/metrics';
import type { RunSummary } from '../engine/run';
import type { ViewId } from '../engine/scenario/linkCodec';
import type { Scenario, Strategy } from '../engine/scenario/schema';
import type { FieldError } from '../engine/scenario/validate';

/** Where the run should pause by itself while playing. */
export type Breakpoint =
  | { kind: 'phase' }
  | { kind: 'round'; round: number }
  | { kind: 'fault' }
  | { kind: 'downtime' };

/** Commands, app to worker. */
export type Command =
  /** Load a scenario (anything: it is validated in the worker) and stop at `position`. */
  | { type: 'load'; scenario: unknown; position?: number }
  /** Play at `speed` simulated seconds per wall-clock second; Infinity runs as fast as it can. */
  | { type: 'play'; speed: number }
  | { type: 'pause' }
  | { type: 'step'; count: number }
  | { type: 'stepBack'; count: number }
  /** Go to an event index, backwards too (keyframe + deterministic replay). */
  | { type: 'seek'; eventIndex: number }
  /** Run to the next phase change (or the end). */
  | { type: 'nextPhase' }
  | { type: 'runToEnd' }
  | { type: 'setBreakpoints'; breakpoints: Breakpoint[] }
  /** The app drew the last frame: the worker may send the next (at most one per animation frame). */
  | { type: 'frameAck' }
  /** Run the scenario's first migration once per strategy, to the end, and report each. */
  | { type: 'compare'; scenario: unknown; strategies: Strategy[] };

export interface VmView {
  id: string;
  host: string;
  state: 'running' | 'paused' | 'stalled';
  memoryMiB: number;
  throttlePct: number;
}

export interface LinkView {
  a: string;
  b: string;
  up: boolean;
  bandwidthMiBps: number;
  latencyUs: number;
  /** Bytes per second the migration streams on it now (0 when idle). */
  currentBps: number;
}

/** One VM's page grids: a state per page (see PageState in engine/migration/pageStates). */
export interface GridView {
  vm: string;
  from: string;
  to: string;
  pages: number;
  source: Uint8Array;
  destination: Uint8Array;
}

export interface Frame {
  type: 'frame';
  eventIndex: number;
  timeNs: number;
  finished: boolean;
  finishReason: string;
  playing: boolean;
  traceHash: string;
  /** The newest log entries (at most 300), older lines other than remote faults, and how many there are in all. */
  log: LogEntry[];
  logLength: number;
  phases: PhaseSpan[];
  metrics: MigrationMetrics[];
  grids: GridView[];
  vms: VmView[];
  links: LinkView[];
  /** Why playback stopped by itself, if it did: a breakpoint, the end, an error. */
  stopReason?: string;
}

export type WorkerMessage =
  | Frame
  | { type: 'loaded'; scenario: Scenario; position: number }
  | { type: 'error'; errors: FieldError[] }
  | { type: 'compareResult'; results: { strategy: Strategy; summary: RunSummary }[] };

export type { ViewId };
