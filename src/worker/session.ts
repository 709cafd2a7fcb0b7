import { MemoryHistory } from '../engine/hw/memoryHistory';
import type { SimEvent } from '../engine/kernel/eventQueue';
import type { LogEntry, SimSnapshot } from '../engine/kernel/simulation';
import type { BreakpointSpec, BreakpointWatcher, Inspection, InspectQuery } from '../engine/mechanismDefinition';
import { allMechanisms, mechanismById } from '../engine/mechanisms';
import { ScenarioRun } from '../engine/run';
import { RUN_BREAKPOINTS, RUN_BREAKPOINTS_ID } from '../engine/runBreakpoints';
import { checkBudget, checkLargestBuffer, TAB_BUDGET_BYTES } from '../engine/scenario/budget';
import type { Scenario } from '../engine/scenario/schema';
import { type FieldError, parseScenario } from '../engine/scenario/validate';
import type { Frame, LinkView, VmView } from './protocol';

/** Keyframes may hold at most this many bytes in all: page deltas and everything else they copy. */
export const KEYFRAME_BUDGET_BYTES = 1024 * 1024 * 1024;
/**
 * Events between keyframes: 200 at first, doubling each time another eighth of the budget
 * fills, so a run that churns memory gets sparser keyframes rather than none.
 */
const KEYFRAME_BASE_INTERVAL = 200;
const LOG_TAIL = 300;
/** How far back past the tail a frame looks for phase and round lines among remote-fault lines. */
const LOG_LOOKBACK = 50_000;

interface Keyframe {
  index: number;
  snapshot: SimSnapshot;
  /** What the snapshot holds besides memory deltas (bitmaps, in-flight chunks, queue, log index). */
  overheadBytes: number;
}

/**
 * One loaded scenario in the worker: the run, keyframes for stepping back, breakpoints.
 * It knows nothing of postMessage, so it runs the same in Node tests.
 */
export class Session {
  run: ScenarioRun;
  private specs: BreakpointSpec[] = [];
  /** One watcher per breakpoint, made for the current run object. */
  private watchers: { spec: BreakpointSpec; watcher: BreakpointWatcher }[] = [];
  private keyframes: Keyframe[] = [];
  /** Memory contents of the keyframes, as page-level deltas. */
  private history = new MemoryHistory();
  private overheadBytes = 0;

  private constructor(readonly scenario: Scenario) {
    this.run = new ScenarioRun(scenario);
    this.captureKeyframe();
  }

  get breakpoints(): BreakpointSpec[] {
    return this.specs;
  }

  /** Breakpoints of a mechanism the scenario does not use are kept but never fire. */
  set breakpoints(specs: BreakpointSpec[]) {
    this.specs = specs;
    this.watchBreakpoints();
  }

  /** Validate, then refuse before allocating anything a scenario whose run would not fit `budgetBytes`. */
  static load(
    input: unknown,
    budgetBytes = TAB_BUDGET_BYTES,
  ): { ok: true; session: Session } | { ok: false; errors: FieldError[] } {
    const parsed = parseScenario(input);
    if (!parsed.ok) return parsed;
    const over = [
      ...checkLargestBuffer(parsed.scenario),
      ...checkBudget(parsed.scenario, budgetBytes, KEYFRAME_BUDGET_BYTES),
    ];
    if (over.length) return { ok: false, errors: over };
    return { ok: true, session: new Session(parsed.scenario) };
  }

  get index(): number {
    return this.run.sim.eventIndex;
  }

  get finished(): boolean {
    return this.run.sim.finished;
  }

  dispose(): void {
    this.run.dispose();
    this.keyframes = [];
  }

  /** Run forward `count` events (or fewer, to a breakpoint when `honourBreakpoints`). */
  step(count: number, honourBreakpoints = false): string | undefined {
    return this.forward(this.index + count, honourBreakpoints);
  }

  /** Go to an event index; backwards restores the nearest keyframe and replays from it. */
  seek(target: number): void {
    const goal = Math.max(0, Math.floor(target));
    if (goal < this.index) this.rewindTo(goal);
    this.forward(goal, false);
  }

  stepBack(count: number): void {
    this.seek(Math.max(0, this.index - count));
  }

  /** Run until the phase timeline changes (a new phase begins or one ends), or the end. */
  nextPhase(): string | undefined {
    const sim = this.run.sim;
    const open = () => sim.phases.filter((p) => p.endNs === undefined).length;
    const before = `${sim.phases.length}/${open()}`;
    return this.runWhile(() => `${sim.phases.length}/${open()}` === before);
  }

  /** Run to the end, or with `honourBreakpoints` to the next breakpoint; returns why it stopped. */
  runToEnd(honourBreakpoints = false): string | undefined {
    return this.forward(Number.POSITIVE_INFINITY, honourBreakpoints);
  }

  /**
   * Run until `simTimeLimit` or `deadline()` says stop, honouring breakpoints.
   * Returns why it stopped by itself ('finished' or a breakpoint), or undefined if it just ran out of time.
   */
  play(simTimeLimit: number, deadline: () => boolean): string | undefined {
    const sim = this.run.sim;
    let n = 0;
    while (!sim.finished) {
      const next = sim.peekNext();
      if (next && next.time > simTimeLimit) return undefined;
      const reason = this.stepOne(true);
      if (reason) return reason;
      if ((++n & 31) === 0 && deadline()) return undefined;
    }
    return 'finished';
  }

  frame(playing: boolean, stopReason?: string): Frame {
    const run = this.run;
    const sim = run.sim;
    const metrics: Record<string, unknown[]> = {};
    const labs: Record<string, unknown> = {};
    for (const { def, instance } of run.installed) {
      metrics[def.id] = def.metrics(instance, sim.now);
      labs[def.id] = def.view(instance, sim.now);
    }
    const vms: VmView[] = [...run.world.vms.values()].map((vm) => ({
      id: vm.id,
      host: vm.host,
      state: vm.state,
      memoryMiB: vm.config.memoryMiB,
      throttlePct: vm.throttlePct,
    }));
    const links: LinkView[] = run.world.links.map((l, i) => {
      const cfg = this.scenario.links[i];
      return {
        a: l.a,
        b: l.b,
        up: l.up,
        bandwidthMiBps: cfg.bandwidthMiBps,
        latencyUs: cfg.latencyUs,
        currentBps: run.installed.reduce((sum, { def, instance }) => sum + (def.linkLoad?.(instance, l) ?? 0), 0),
      };
    });
    return {
      type: 'frame',
      eventIndex: sim.eventIndex,
      timeNs: sim.now,
      finished: sim.finished,
      finishReason: sim.finishReason,
      playing,
      traceHash: sim.trace.hex(),
      log: logForFrame(sim.log, this.floodKinds),
      logLength: sim.log.length,
      phases: sim.phases.slice(),
      metrics,
      labs,
      vms,
      links,
      ...(stopReason ? { stopReason } : {}),
    };
  }

  /** Buffers of a frame's lab payloads that can be transferred rather than copied. */
  transferables(frame: Frame): ArrayBuffer[] {
    return this.run.installed.flatMap(({ def }) => def.transferables?.(frame.labs[def.id]) ?? []);
  }

  /** Explain a clicked item (a page, ...) as its mechanism sees it now. */
  inspect(query: InspectQuery): Inspection | undefined {
    const installed = this.run.installed.find((m) => m.def.id === query.mechanism);
    return installed?.def.inspect?.(installed.instance, query, this.run.sim);
  }

  // ---- internals ---------------------------------------------------------------------------

  private forward(target: number, honourBreakpoints: boolean): string | undefined {
    return this.runWhile(() => this.index < target, honourBreakpoints);
  }

  private runWhile(cond: () => boolean, honourBreakpoints = false): string | undefined {
    const sim = this.run.sim;
    while (!sim.finished && cond()) {
      const reason = this.stepOne(honourBreakpoints);
      if (reason) return reason;
    }
    // Moving without breakpoints (stepping, seeking) passes their moments by: what holds
    // here has been seen, so a breakpoint on it must not fire again.
    if (!honourBreakpoints) for (const { watcher } of this.watchers) watcher.sync?.();
    return sim.finished ? 'finished' : undefined;
  }

  /** One event, keyframes as we pass their indices, and the breakpoint check. */
  private stepOne(honourBreakpoints: boolean): string | undefined {
    const sim = this.run.sim;
    const phasesBefore = sim.phases.length;
    const logBefore = sim.log.length;
    const event = sim.step();
    if (!event) return 'finished';
    if (sim.eventIndex % KEYFRAME_BASE_INTERVAL === 0) this.captureKeyframe();
    return honourBreakpoints ? this.breakpointHit(event, phasesBefore, logBefore) : undefined;
  }

  private breakpointHit(event: SimEvent, phasesBefore: number, logBefore: number): string | undefined {
    const ctx = { sim: this.run.sim, event, phasesBefore, logBefore };
    for (const { watcher } of this.watchers) {
      const reason = watcher.check(ctx);
      if (reason) return `breakpoint: ${reason}`;
    }
    return undefined;
  }

  /** Watchers for the current run; a breakpoint of a mechanism this scenario does not use has none. */
  private watchBreakpoints(): void {
    this.watchers = [];
    for (const spec of this.specs) {
      if (spec.mechanism === RUN_BREAKPOINTS_ID) {
        const def = RUN_BREAKPOINTS.find((b) => b.kind === spec.kind);
        if (def) this.watchers.push({ spec, watcher: def.watch(this.run.sim, spec) });
        continue;
      }
      const instance = this.run.installed.find((m) => m.def.id === spec.mechanism)?.instance;
      const def = mechanismById(spec.mechanism)?.breakpoints.find((b) => b.kind === spec.kind);
      if (instance && def) this.watchers.push({ spec, watcher: def.watch(instance, spec) });
    }
    for (const { watcher } of this.watchers) watcher.sync?.();
  }

  private get floodKinds(): ReadonlySet<string> {
    return new Set(allMechanisms().flatMap((d) => d.floodLogKinds ?? []));
  }

  /** Keyframes are taken in increasing event order; a rewind drops the ones after it. */
  private captureKeyframe(): void {
    const index = this.index;
    const last = this.keyframes[this.keyframes.length - 1];
    if (last && last.index >= index) return;
    const held = this.keyframeBytes;
    if (held > KEYFRAME_BUDGET_BYTES) return;
    const interval = KEYFRAME_BASE_INTERVAL * 2 ** Math.floor((8 * held) / KEYFRAME_BUDGET_BYTES);
    if (last && index - last.index < interval) return;
    this.history.beginKeyframe(index);
    const snapshot = this.run.sim.snapshot(this.history);
    const overheadBytes = snapshotOverheadBytes(snapshot);
    this.overheadBytes += overheadBytes;
    this.keyframes.push({ index, snapshot, overheadBytes });
  }

  private rewindTo(goal: number): void {
    while (this.keyframes.length > 1 && this.keyframes[this.keyframes.length - 1].index > goal) {
      this.overheadBytes -= this.keyframes.pop()?.overheadBytes ?? 0;
    }
    const best = this.keyframes[this.keyframes.length - 1];
    if (best && best.index <= goal) {
      this.run.sim.restore(best.snapshot, this.history);
    } else {
      this.run.dispose();
      this.run = new ScenarioRun(this.scenario);
      this.history = new MemoryHistory();
      this.keyframes = [];
      this.overheadBytes = 0;
      this.captureKeyframe();
      this.watchBreakpoints();
    }
  }

  /** Bytes held by keyframes (page deltas and the rest of each snapshot), for the details panel and tests. */
  get keyframeBytes(): number {
    return this.history.bytes + this.overheadBytes;
  }

  /** Of those, the bytes not in memory deltas. */
  get keyframeOverheadBytes(): number {
    return this.overheadBytes;
  }

  get keyframeCount(): number {
    return this.keyframes.length;
  }
}

/**
 * The newest entries, and before them the older lines that do not come in floods: a post-copy
 * run logs hundreds of remote faults, which must not push its switchover out of the log.
 */
function logForFrame(log: readonly LogEntry[], floodKinds: ReadonlySet<string>): LogEntry[] {
  const tailStart = Math.max(0, log.length - LOG_TAIL);
  const older: LogEntry[] = [];
  for (let i = tailStart - 1; i >= Math.max(0, tailStart - LOG_LOOKBACK) && older.length < LOG_TAIL; i--) {
    if (!floodKinds.has(log[i].kind)) older.push(log[i]);
  }
  return [...older.reverse(), ...log.slice(tailStart)];
}

/** Bytes a snapshot copies besides memory deltas: typed arrays (each buffer once), arrays, the log's index. */
function snapshotOverheadBytes(snapshot: SimSnapshot): number {
  const buffers = new Set<ArrayBufferLike>();
  let bytes = 8 * snapshot.log.length; // the entries themselves are shared with the live log
  const walk = (value: unknown): void => {
    if (value === null || typeof value !== 'object') return;
    if (ArrayBuffer.isView(value)) {
      if (!buffers.has(value.buffer)) bytes += value.buffer.byteLength;
      buffers.add(value.buffer);
    } else if (Array.isArray(value)) {
      bytes += 8 * value.length;
      for (const item of value) walk(item);
    } else for (const item of Object.values(value)) walk(item);
  };
  walk(snapshot.components);
  walk(snapshot.queue);
  walk(snapshot.phases);
  return bytes;
}
