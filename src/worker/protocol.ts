import type { CompareEntry } from '../engine/compare';
import type { LogEntry, PhaseSpan } from '../engine/kernel/simulation';
import type { BreakpointSpec, Inspection, InspectQuery } from '../engine/mechanismDefinition';
import type { Scenario } from '../engine/scenario/schema';
import type { FieldError } from '../engine/scenario/validate';

export type { BreakpointSpec, CompareEntry };

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
  /** Run until this breakpoint alone fires (null: to the end), the user's breakpoints set aside: a lesson's wait. */
  | { type: 'runUntil'; breakpoint: BreakpointSpec | null; tag?: string }
  /** Reply with a frame carrying `tag` once every command before it is done (a lesson step is shown). */
  | { type: 'mark'; tag: string }
  | { type: 'setBreakpoints'; breakpoints: BreakpointSpec[] }
  /** The app drew the last frame: the worker may send the next (at most one per animation frame). */
  | { type: 'frameAck' }
  /** Run the scenario once per variant of one mechanism, to the end, and report each. */
  | { type: 'compare'; scenario: unknown; mechanism: string; variants: string[] }
  /** Explain an item clicked in a lab (a page, ...). */
  | { type: 'inspect'; query: InspectQuery }
  /** Stop the long command that is running (a seek, run to end, compare) where it got to. */
  | { type: 'cancel' }
  /** The narrated log so far (csv), or every event of the whole run as JSON lines (the CLI's --events). */
  | { type: 'export'; what: 'log' | 'events' }
  /** Tests only: make every slice of a long command this much slower. */
  | { type: 'debugSlow'; ms: number };

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
  /** Bytes per second the mechanisms move over it now (0 when idle). */
  currentBps: number;
}

export interface Frame {
  type: 'frame';
  eventIndex: number;
  timeNs: number;
  finished: boolean;
  finishReason: string;
  playing: boolean;
  traceHash: string;
  /** The newest log entries (at most 300), older lines that do not come in floods, and how many there are in all. */
  log: LogEntry[];
  logLength: number;
  phases: PhaseSpan[];
  /** Each installed mechanism's figures, by mechanism id (one entry per item of its section). */
  metrics: Record<string, unknown[]>;
  /** Each installed mechanism's view payload, by mechanism id. */
  labs: Record<string, unknown>;
  vms: VmView[];
  links: LinkView[];
  /** Why playback stopped by itself, if it did: a breakpoint, the end, an error. */
  stopReason?: string;
  /** The tag of the runUntil or mark command this frame answers. */
  tag?: string;
}

export type WorkerMessage =
  | Frame
  | { type: 'loaded'; scenario: Scenario; position: number }
  | { type: 'error'; errors: FieldError[] }
  | { type: 'compareResult'; mechanism: string; results: CompareEntry[]; cancelled?: boolean }
  /** What an export asked for, as text ready to save. */
  | { type: 'exported'; what: 'log' | 'events'; text: string }
  /** A long command is running (label), or none is (null): the app shows it and offers Cancel. */
  | { type: 'busy'; label: string | null; progress: number | null; cancellable?: boolean }
  /**
   * The whole run's length, computed in the background after a load: events and end time once
   * known (events null while it is being computed, with how far it got), and its phases.
   */
  | { type: 'shape'; events: number | null; endNs: number; phases: PhaseSpan[]; progressEvents: number }
  | { type: 'inspection'; query: InspectQuery; inspection: Inspection | null };
