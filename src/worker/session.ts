import { MemoryHistory } from '../engine/hw/memoryHistory';
import type { SimEvent } from '../engine/kernel/eventQueue';
import type { LogEntry } from '../engine/kernel/simulation';
import type { BreakpointSpec, BreakpointWatcher, Inspection, InspectQuery } from '../engine/mechanismDefinition';
import { allMechanisms, mechanismById } from '../engine/mechanisms';
import { ScenarioRun } from '../engine/run';
import { RUN_BREAKPOINTS, RUN_BREAKPOINTS_ID } from '../engine/runBreakpoints';
import { checkBudget, checkLargestBuffer, TAB_BUDGET_BYTES } from '../engine/scenario/budget';
import type { Scenario } from '../engine/scenario/schema';
import { type FieldError, parseScenario } from '../engine/scenario/validate';
import { type PackedSnapshot, packSnapshot, unpackSnapshot } from './keyframePacking';
import type { Frame, LinkView, VmView } from './protocol';

/**
 * Keyframes may hold at most this many bytes in all (page deltas and everything else they
 * copy), and never more than the memory of the VMs simulated.
 */
export const KEYFRAME_BUDGET_BYTES = 1024 * 1024 * 1024;
/**
 * Keyframes are spaced by what replaying from one costs, not by event count: a keyframe once
 * the events since the last took this long to run (wall time, measured here in the worker; it
 * moves only where keyframes fall, never what a restore gives). Doubled each time another
 * quarter of the budget fills, so a run that churns memory gets sparser keyframes rather than none.
 */
const KEYFRAME_REPLAY_MS = 8;
/** A gap between two events longer than this is a pause (a frame, an idle worker), not replay work. */
const KEYFRAME_GAP_MS = 40;
const LOG_TAIL = 300;
/** How far back past the tail a frame looks for phase and round lines among remote-fault lines. */
const LOG_LOOKBACK = 50_000;

interface Keyframe {
  index: number;
  /** The snapshot with its memories in `history` and its arrays as blocks shared with the previous keyframe. */
  packed: PackedSnapshot;
  /** The trace hash there: a replay that passes this index checks it is where the keyframe was. */
  trace: [number, number];
  /** What the snapshot holds besides memory deltas (bitmaps, in-flight chunks, queue, log index). */
  overheadBytes: number;
}

/** A move that may take long (a seek, run to end): the worker runs it in slices and can cancel it. */
export interface Move {
  label: string;
  /** Run until done or until `deadline()` says stop; true when done. */
  advance(deadline: () => boolean): boolean;
  /** Why it stopped by itself (the end, a breakpoint), once done. */
  stopReason?: string;
  /** How far along, 0 to 1, where that can be told. */
  progress(): number | null;
  /** Undo what the move set up, when it is cancelled before it is done. */
  cancel?(): void;
}

/** Run a move to its end at once (tests, the CLI, short moves). */
export function complete(move: Move): string | undefined {
  move.advance(() => false);
  return move.stopReason;
}

/**
 * One loaded scenario in the worker: the run, keyframes for stepping back, breakpoints.
 * It knows nothing of postMessage, so it runs the same in Node tests.
 */
export class Session {
  run: ScenarioRun;
  private specs: BreakpointSpec[] = [];
  /** Breakpoints that have stopped the run since they were set. */
  private hit = new Set<BreakpointSpec>();
  /** One watcher per breakpoint, made for the current run object. */
  private watchers: { spec: BreakpointSpec; watcher: BreakpointWatcher }[] = [];
  private keyframes: Keyframe[] = [];
  /** Memory contents of the keyframes, as page-level deltas. */
  private history = new MemoryHistory();
  private overheadBytes = 0;
  /** The keyframe the run was last restored to or passed (keyframes are kept after a rewind). */
  private anchor = -1;
  /** What the newest keyframe cost (memory deltas and the rest), to stop before the budget. */
  private lastKeyframeBytes = 0;
  /** Wall time the events since the anchor took to run, for keyframe spacing. */
  private workMs = 0;
  private lastEventAt = 0;
  /** The longest log seen: keyframes keep only a length into it (a replay writes the same lines). */
  private longestLog: readonly LogEntry[] = [];

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
    this.hit = new Set();
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
    return complete(this.moveTo(this.index + count, honourBreakpoints));
  }

  /** Go to an event index; backwards restores the nearest keyframe and replays from it. */
  seek(target: number): void {
    complete(this.moveTo(target));
  }

  stepBack(count: number): void {
    this.seek(Math.max(0, this.index - count));
  }

  /** Run to the next phase change that lasts at least `minWidthNs` (see moveNextPhase), or the end. */
  nextPhase(minWidthNs = 0): string | undefined {
    return complete(this.moveNextPhase(minWidthNs));
  }

  /** Run to the end, or with `honourBreakpoints` to the next breakpoint; returns why it stopped. */
  runToEnd(honourBreakpoints = false): string | undefined {
    return complete(this.moveToEnd(honourBreakpoints));
  }

  /** A move to an event index (backwards: a keyframe restore first), done in slices. */
  moveTo(target: number, honourBreakpoints = false): Move {
    const goal = Math.max(0, Math.floor(target));
    // Forwards too, a keyframe ahead beats replaying up to it (not when breakpoints must be checked on the way).
    if (goal < this.index || !honourBreakpoints) this.rewindTo(goal);
    const start = this.index;
    return this.sliced(
      `Going to event ${goal.toLocaleString('en-US')}`,
      () => this.index < goal,
      honourBreakpoints,
      () => (goal > start ? (this.index - start) / (goal - start) : 1),
    );
  }

  /** A move to the end of the run, or to the next breakpoint. */
  moveToEnd(honourBreakpoints = false): Move {
    return this.sliced(
      honourBreakpoints && this.watchers.length > 0
        ? 'Running to the next breakpoint or the end'
        : 'Running to the end',
      () => true,
      honourBreakpoints,
      () => (this.expectedEvents ? Math.min(1, this.index / this.expectedEvents) : null),
    );
  }

  /**
   * A move to the next change of the phase timeline (a phase begins or ends) that stays on
   * screen: one followed by another change within `minWidthNs` has no visible width (a 200 us
   * setup on a 2 s timeline), so the move goes on to the later one and, past the window, steps
   * back to where that change happened.
   */
  moveNextPhase(minWidthNs: number): Move {
    const sim = this.run.sim;
    const signature = () => {
      let open = 0;
      for (const p of sim.phases) if (p.endNs === undefined) open++;
      return `${sim.phases.length}/${open}`;
    };
    let before = signature();
    let candidate: { index: number; timeNs: number } | null = null;
    const move: Move = {
      label: 'Running to the next phase',
      progress: () => null,
      advance: (deadline) => {
        let n = 0;
        while (!sim.finished) {
          const next = sim.peekNext();
          if (candidate && (!next || next.time > candidate.timeNs + minWidthNs)) break;
          const reason = this.stepOne(false);
          if (reason && reason !== 'finished') break;
          const now = signature();
          if (now !== before) {
            before = now;
            candidate = { index: this.index, timeNs: sim.now };
          }
          if ((++n & 63) === 0 && deadline()) return false;
        }
        if (candidate && this.index !== candidate.index) complete(this.moveTo(candidate.index));
        this.syncWatchers();
        move.stopReason = sim.finished ? 'finished' : undefined;
        return true;
      },
    };
    return move;
  }

  /** Events a whole run takes, once known (the worker's background run tells): for progress. */
  expectedEvents: number | null = null;

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

  /** Run while `cond` holds, in slices: each `advance` stops at the deadline and the next goes on. */
  private sliced(label: string, cond: () => boolean, honourBreakpoints: boolean, progress: () => number | null): Move {
    const sim = this.run.sim;
    const move: Move = {
      label,
      progress,
      advance: (deadline) => {
        let n = 0;
        while (!sim.finished && cond()) {
          const reason = this.stepOne(honourBreakpoints);
          if (reason) {
            move.stopReason = reason;
            return true;
          }
          if ((++n & 63) === 0 && deadline()) return false;
        }
        // Moving without breakpoints (stepping, seeking) passes their moments by: what holds
        // here has been seen, so a breakpoint on it must not fire again.
        if (!honourBreakpoints) this.syncWatchers();
        move.stopReason = sim.finished ? 'finished' : undefined;
        return true;
      },
    };
    return move;
  }

  private syncWatchers(): void {
    for (const { watcher } of this.watchers) watcher.sync?.();
  }

  /** One event, keyframes as we pass their indices, and the breakpoint check. */
  private stepOne(honourBreakpoints: boolean): string | undefined {
    const sim = this.run.sim;
    const phasesBefore = sim.phases.length;
    const logBefore = sim.log.length;
    const event = sim.step();
    if (!event) return 'finished';
    this.captureKeyframe();
    return honourBreakpoints ? this.breakpointHit(event, phasesBefore, logBefore) : undefined;
  }

  private breakpointHit(event: SimEvent, phasesBefore: number, logBefore: number): string | undefined {
    const ctx = { sim: this.run.sim, event, phasesBefore, logBefore };
    for (const { spec, watcher } of this.watchers) {
      const reason = watcher.check(ctx);
      if (reason) {
        this.hit.add(spec);
        return `breakpoint: ${reason}`;
      }
    }
    return undefined;
  }

  /** Breakpoints set that have not stopped the run since they were set: said when a run ends without them. */
  unhitBreakpoints(): string[] {
    return this.specs
      .filter((spec) => !this.hit.has(spec))
      .map((spec) => {
        const def =
          spec.mechanism === RUN_BREAKPOINTS_ID
            ? RUN_BREAKPOINTS.find((b) => b.kind === spec.kind)
            : mechanismById(spec.mechanism)?.breakpoints.find((b) => b.kind === spec.kind);
        const params = (def?.params ?? []).map((p) => ` ${spec[p.name]}`).join('');
        return `"${def?.label ?? spec.kind}${params}"`;
      });
  }

  /** Watchers for the current run; a breakpoint of a mechanism this scenario does not use has none. */
  private watchBreakpoints(): void {
    this.watchers = this.specs.flatMap((spec) => this.watcherFor(spec));
    for (const { watcher } of this.watchers) watcher.sync?.();
  }

  private watcherFor(spec: BreakpointSpec): { spec: BreakpointSpec; watcher: BreakpointWatcher }[] {
    if (spec.mechanism === RUN_BREAKPOINTS_ID) {
      const def = RUN_BREAKPOINTS.find((b) => b.kind === spec.kind);
      return def ? [{ spec, watcher: def.watch(this.run.sim, spec) }] : [];
    }
    const instance = this.run.installed.find((m) => m.def.id === spec.mechanism)?.instance;
    const def = mechanismById(spec.mechanism)?.breakpoints.find((b) => b.kind === spec.kind);
    return instance && def ? [{ spec, watcher: def.watch(instance, spec) }] : [];
  }

  /**
   * A move to where `spec` fires (a lesson's "wait for"), or with null to the end, honouring
   * that breakpoint alone: the learner's own breakpoints are set aside and put back after.
   */
  moveUntil(spec: BreakpointSpec | null): Move {
    const own = this.watchers;
    this.watchers = spec ? this.watcherFor(spec) : [];
    for (const { watcher } of this.watchers) watcher.sync?.();
    const inner = this.moveToEnd(true);
    const putBack = () => {
      this.watchers = own;
      this.syncWatchers();
    };
    const move: Move = {
      label: spec ? 'Running to the next moment of the lesson' : 'Running to the end',
      progress: () => inner.progress(),
      advance: (deadline) => {
        if (!inner.advance(deadline)) return false;
        move.stopReason = inner.stopReason;
        putBack();
        return true;
      },
      cancel: putBack,
    };
    return move;
  }

  private get floodKinds(): ReadonlySet<string> {
    return new Set(allMechanisms().flatMap((d) => d.floodLogKinds ?? []));
  }

  /**
   * After each event: past the newest keyframe, take one once replay from the last would cost
   * enough; within known history (after a rewind), pass the keyframe at this index instead.
   */
  private captureKeyframe(): void {
    const sim = this.run.sim;
    const index = sim.eventIndex;
    const t = performance.now();
    const gap = t - this.lastEventAt;
    this.lastEventAt = t;
    if (gap < KEYFRAME_GAP_MS) this.workMs += gap;
    const next = this.keyframes[this.anchor + 1];
    if (next) {
      if (index < next.index) return;
      const [a, b] = sim.trace.getState();
      if (index === next.index && next.trace[0] === a && next.trace[1] === b) {
        this.anchor++;
        this.history.reached(index);
        this.workMs = 0;
        return;
      }
      // Not where the keyframe was (cannot happen in a deterministic run): trust the run, not the keyframes.
      this.dropKeyframesAfter(this.anchor);
    }
    const last = this.keyframes[this.anchor];
    if (last) {
      if (last.index >= index) return;
      const held = this.keyframeBytes;
      const budget = this.keyframeBudget;
      // The next keyframe is assumed about as big as the last: stop before it would overrun.
      if (held + this.lastKeyframeBytes > budget) return;
      if (this.workMs < KEYFRAME_REPLAY_MS * 2 ** Math.floor((4 * held) / budget)) return;
    }
    const before = this.keyframeBytes;
    this.history.beginKeyframe(index);
    const snapshot = sim.snapshot(this.history);
    if (sim.log.length >= this.longestLog.length) this.longestLog = sim.log;
    const packed = packSnapshot(snapshot, last?.packed);
    this.overheadBytes += packed.bytes;
    this.lastKeyframeBytes = this.keyframeBytes - before;
    const [a, b] = sim.trace.getState();
    this.keyframes.push({ index, packed, trace: [a, b], overheadBytes: packed.bytes });
    this.anchor = this.keyframes.length - 1;
    this.workMs = 0;
    this.lastEventAt = performance.now();
  }

  /** For one simulated VM of 256 MiB, at most 256 MiB of keyframes. */
  private get keyframeBudget(): number {
    let vmBytes = 0;
    for (const vm of this.run.world.vms.values()) vmBytes += vm.memory.byteLength;
    return Math.min(KEYFRAME_BUDGET_BYTES, vmBytes || KEYFRAME_BUDGET_BYTES);
  }

  private dropKeyframesAfter(position: number): void {
    while (this.keyframes.length > position + 1) this.overheadBytes -= this.keyframes.pop()?.overheadBytes ?? 0;
    this.history.dropAfter(this.keyframes[position]?.index ?? -1);
  }

  /**
   * Restore the newest keyframe at or before `goal`, backwards or forwards (keyframes are kept
   * after a rewind); forwards only when that keyframe is ahead of where the run is.
   */
  private rewindTo(goal: number): void {
    let lo = 0;
    let hi = this.keyframes.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.keyframes[mid].index <= goal) lo = mid;
      else hi = mid - 1;
    }
    const best = this.keyframes[lo];
    if (goal >= this.index && (!best || best.index <= this.index)) return;
    if (best && best.index <= goal) {
      this.run.sim.restore(unpackSnapshot(best.packed, this.longestLog), this.history);
      this.anchor = lo;
      this.workMs = 0;
      this.lastEventAt = performance.now();
    } else {
      this.run.dispose();
      this.run = new ScenarioRun(this.scenario);
      this.history = new MemoryHistory();
      this.keyframes = [];
      this.anchor = -1;
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
