import { MemoryHistory } from '../engine/hw/memoryHistory';
import type { LogEntry, SimSnapshot } from '../engine/kernel/simulation';
import { expectedDowntimeMs } from '../engine/migration/metrics';
import type { MigrationRun } from '../engine/migration/model';
import { destinationPageStates, sourcePageStates } from '../engine/migration/pageStates';
import { ScenarioRun } from '../engine/run';
import type { Scenario } from '../engine/scenario/schema';
import { type FieldError, parseScenario } from '../engine/scenario/validate';
import type { Breakpoint, Frame, GridView, LinkView, VmView } from './protocol';

/** Keyframes may hold at most this many bytes in all: page deltas and everything else they copy. */
const KEYFRAME_BUDGET_BYTES = 1024 * 1024 * 1024;
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
  breakpoints: Breakpoint[] = [];
  private keyframes: Keyframe[] = [];
  /** Memory contents of the keyframes, as page-level deltas. */
  private history = new MemoryHistory();
  private overheadBytes = 0;
  /** Migrations whose expected downtime is over their limit: the breakpoint fires as one enters. */
  private overDowntimeLimit = new Set<number>();

  private constructor(readonly scenario: Scenario) {
    this.run = new ScenarioRun(scenario);
    this.captureKeyframe();
  }

  static load(input: unknown): { ok: true; session: Session } | { ok: false; errors: FieldError[] } {
    const parsed = parseScenario(input);
    if (!parsed.ok) return parsed;
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
    const grids: GridView[] = run.migration.runs.map((m) => {
      const source = new Uint8Array(m.pages);
      const destination = new Uint8Array(m.pages);
      sourcePageStates(m, source);
      destinationPageStates(m, destination);
      return { vm: m.vm.id, from: m.from, to: m.config.to, pages: m.pages, source, destination };
    });
    const vms: VmView[] = [...run.world.vms.values()].map((vm) => ({
      id: vm.id,
      host: vm.host,
      state: vm.state,
      memoryMiB: vm.config.memoryMiB,
      throttlePct: vm.throttlePct,
    }));
    const links: LinkView[] = run.world.links.map((l, i) => {
      const cfg = this.scenario.links[i];
      const streaming = run.migration.runs.filter((m) => m.link === l && m.s.senderBusy);
      return {
        a: l.a,
        b: l.b,
        up: l.up,
        bandwidthMiBps: cfg.bandwidthMiBps,
        latencyUs: cfg.latencyUs,
        currentBps: streaming.reduce((sum, m) => sum + l.shareFor(m.capBytesPerSecond), 0),
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
      log: logForFrame(sim.log),
      logLength: sim.log.length,
      phases: sim.phases.slice(),
      metrics: run.migrations(),
      grids,
      vms,
      links,
      ...(stopReason ? { stopReason } : {}),
    };
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
    // Moving without breakpoints (stepping, seeking) passes their moments by: where the
    // downtime is already over the limit here, that breakpoint must not fire again.
    if (!honourBreakpoints) {
      const over = this.run.migration.runs.filter((m) => expectedDowntimeOverLimit(m, sim.now) !== null);
      this.overDowntimeLimit = new Set(over.map((m) => m.index));
    }
    return sim.finished ? 'finished' : undefined;
  }

  /** One event, keyframes as we pass their indices, and the breakpoint check. */
  private stepOne(honourBreakpoints: boolean): string | undefined {
    const sim = this.run.sim;
    const phasesBefore = sim.phases.length;
    const logBefore = sim.log.length;
    if (!sim.step()) return 'finished';
    if (sim.eventIndex % KEYFRAME_BASE_INTERVAL === 0) this.captureKeyframe();
    return honourBreakpoints ? this.breakpointHit(phasesBefore, logBefore) : undefined;
  }

  private breakpointHit(phasesBefore: number, logBefore: number): string | undefined {
    const sim = this.run.sim;
    for (const bp of this.breakpoints) {
      if (bp.kind === 'phase' && sim.phases.length > phasesBefore) {
        return `breakpoint: phase "${sim.phases[sim.phases.length - 1].name}" began`;
      }
      if (bp.kind === 'round') {
        for (let i = phasesBefore; i < sim.phases.length; i++) {
          if (sim.phases[i].name === `round ${bp.round}`) return `breakpoint: round ${bp.round} began`;
        }
      }
      if (bp.kind === 'fault') {
        for (let i = logBefore; i < sim.log.length; i++) {
          if (sim.log[i].kind === 'migration.fault') return `breakpoint: remote fault (${sim.log[i].text})`;
        }
      }
      if (bp.kind === 'downtime') {
        for (const m of this.run.migration.runs) {
          const expected = expectedDowntimeOverLimit(m, sim.now);
          if (expected === null) this.overDowntimeLimit.delete(m.index);
          else if (!this.overDowntimeLimit.has(m.index)) {
            this.overDowntimeLimit.add(m.index);
            return `breakpoint: downtime of ${m.vm.id} will be about ${expected.toFixed(0)} ms, over its ${m.config.downtimeLimitMs} ms limit`;
          }
        }
      }
    }
    return undefined;
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
    }
    this.overDowntimeLimit.clear();
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
 * The newest entries, and before them the older lines that are not remote faults: a post-copy
 * run logs hundreds of faults, which must not push its switchover out of the log.
 */
function logForFrame(log: readonly LogEntry[]): LogEntry[] {
  const tailStart = Math.max(0, log.length - LOG_TAIL);
  const older: LogEntry[] = [];
  for (let i = tailStart - 1; i >= Math.max(0, tailStart - LOG_LOOKBACK) && older.length < LOG_TAIL; i--) {
    if (log[i].kind !== 'migration.fault') older.push(log[i]);
  }
  return [...older.reverse(), ...log.slice(tailStart)];
}

/** While the VM is stopped for switchover: the downtime it is heading for, in ms, if over its limit; else null. */
function expectedDowntimeOverLimit(m: MigrationRun, now: number): number | null {
  if (!m.stopped || m.resumed || m.terminal) return null;
  const expected = expectedDowntimeMs(m, now);
  return expected > m.config.downtimeLimitMs ? expected : null;
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
