import type { z } from 'zod';
import type { Link } from './hw/link';
import type { Nanos } from './kernel/clock';
import type { SimEvent } from './kernel/eventQueue';
import type { Simulation } from './kernel/simulation';
import type { Lesson } from './lesson';
import type { WorldScenario } from './scenario/fields';
import type { FieldError } from './scenario/validate';
import type { Mechanism, World } from './world/world';

/**
 * The contract every mechanism (migration, checkpointing, networking, the pool, passthrough)
 * meets to enter vmlab: the engine, worker, CLI and app iterate the registry in
 * `mechanisms.ts` and never name a mechanism's strategies or metrics themselves.
 */
export interface MechanismDefinition<
  K extends string = string,
  S extends z.ZodObject = z.ZodObject,
  I extends Mechanism = Mechanism,
  M = unknown,
  V = unknown,
> {
  /** Registry id, also the lab's id in links and the `mechanism` of `--events` lines. */
  readonly id: string;
  readonly label: string;
  /** The scenario's top-level key for this mechanism's section, and its key in `--json`. */
  readonly key: K;
  /** One entry of the section (`migrations[i]`). */
  readonly schema: S;
  /** Fields this mechanism adds to entries of other sections (`vms`, `hosts`, `links` or a mechanism's key). */
  readonly extends?: Readonly<Record<string, z.ZodRawShape>>;
  /** Rules across sections (references between ids, reachability); paths name the field. */
  crossCheck?(scenario: WorldScenario): FieldError[];
  /** Bytes a run of the scenario allocates for this mechanism, item by item, before anything is allocated. */
  estimateBytes?(scenario: WorldScenario): ByteEstimate[];
  /** Build the mechanism's state in the world and schedule what the scenario fixes in advance. */
  install(world: World): I;
  /** Figures per entry of the section (what `--json` prints under `key`). */
  metrics(instance: I, now: Nanos): M[];
  /** What a frame carries for the lab's views. */
  view(instance: I, now: Nanos): V;
  /** Buffers of `view` that may be transferred to the app rather than copied. */
  transferables?(view: V): ArrayBuffer[];
  /** Bytes per second the mechanism moves over a link now (drawn on the topology). */
  linkLoad?(instance: I, link: Link): number;
  /** Event types it schedules start with one of these (`mig.`): how `--events` names the mechanism. */
  readonly eventPrefixes: readonly string[];
  /** The VM, link, device or pool an event concerns. */
  subjectOf(instance: I, event: SimEvent): string;
  /** The lines `--events` prints for an event about to run, when one event stands for several (a group delivered). */
  streamLines?(instance: I, event: SimEvent): SimEvent[] | undefined;
  /** Log kinds that come in floods (remote faults): the log keeps the others in view past them. */
  readonly floodLogKinds?: readonly string[];
  readonly breakpoints: readonly BreakpointDefinition<I>[];
  /** What compare can run side by side: a strategy plus option overrides. */
  readonly variants: readonly Variant[];
  readonly presets: readonly Preset[];
  /** Guided walks through its presets (see lesson.ts). */
  readonly lessons?: readonly Lesson[];
  /** How the CLI prints its figures (summary and compare tables). */
  readonly report: Report<M>;
  /** Explain one item a person clicked (a page, a packet, a block, a register). */
  inspect?(instance: I, query: InspectQuery, sim: Simulation): Inspection | undefined;
}

export interface ReportTable {
  title: string;
  header: string[];
  rows: string[][];
}

export interface Report<M> {
  /** One row per entry; the first column names it. */
  columns: readonly { label: string; value: (m: M) => string }[];
  /** A line under the table for an entry, when it has something to say. */
  note?(m: M): string | undefined;
  /** Further tables per entry (a migration's rounds). */
  details?(m: M): ReportTable[];
}

export interface ByteEstimate {
  item: string;
  bytes: number;
}

/** A breakpoint as the app, links and the worker hold it: plain data. */
export interface BreakpointSpec {
  mechanism: string;
  kind: string;
  readonly [param: string]: string | number;
}

export interface BreakpointParam {
  name: string;
  label: string;
  /** A number (the default) or a text such as an event type. */
  type?: 'number' | 'text';
  default: number | string;
  min?: number;
}

export interface StepContext {
  sim: Simulation;
  event: SimEvent;
  phasesBefore: number;
  logBefore: number;
}

/** Watches one run for one breakpoint; made anew whenever the run is rebuilt or rewound. */
export interface BreakpointWatcher {
  /** After an event while playing: why it stops here, or undefined. */
  check(ctx: StepContext): string | undefined;
  /** The run moved with breakpoints off (a step, a seek): what holds now has been seen. */
  sync?(): void;
}

export interface BreakpointDefinition<I = unknown> {
  kind: string;
  /** Read after "Stop": "on a remote fault", "at round". */
  label: string;
  params?: readonly BreakpointParam[];
  watch(instance: I, spec: BreakpointSpec): BreakpointWatcher;
}

export interface Variant {
  id: string;
  label: string;
  /** The scenario with the mechanism's first entry switched to this variant. */
  apply(scenario: WorldScenario): WorldScenario;
}

export interface Preset {
  id: string;
  title: string;
  /** One sentence on what the preset teaches. */
  teaches: string;
  /** The lab (mechanism id) it opens in. */
  lab: string;
  view: 'lab' | 'compare';
  /** Variant ids run side by side in compare. */
  compare?: string[];
  /** Scenario input (defaults may be left out); validated by the scenario schema in tests. */
  scenario: { version: number; readonly [field: string]: unknown };
  /** How the scenario's runs end, where that is not completed and verified. */
  outcome?: { status: string; verified: boolean };
}

/** A click on an item of a lab's view. */
export interface InspectQuery {
  mechanism: string;
  /** What was clicked: 'page' on a grid, and so on. */
  item: string;
  /** Which entry of the section (the migration's index). */
  entry: number;
  /** Which side or copy ('source', 'destination'). */
  side?: string;
  index: number;
}

export interface InspectionLine {
  label: string;
  value: string;
  /** A position to seek to: the event after which this became true. */
  eventIndex?: number;
}

export interface Inspection {
  title: string;
  lines: InspectionLine[];
}

/** Typed helper so each mechanism's `index.ts` keeps its own types. */
export function defineMechanism<K extends string, S extends z.ZodObject, I extends Mechanism, M, V>(
  def: MechanismDefinition<K, S, I, M, V>,
): MechanismDefinition<K, S, I, M, V> {
  return def;
}
