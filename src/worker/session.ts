import type { SimSnapshot } from '../engine/kernel/simulation';
import { destinationPageStates, sourcePageStates } from '../engine/migration/pageStates';
import { ScenarioRun } from '../engine/run';
import type { Scenario } from '../engine/scenario/schema';
import { type FieldError, parseScenario } from '../engine/scenario/validate';
import type { Breakpoint, Frame, GridView, LinkView, VmView } from './protocol';

/** Keyframes may hold at most this many bytes of snapshots in all. */
const KEYFRAME_BUDGET_BYTES = 1.5 * 1024 * 1024 * 1024;
const KEYFRAME_INTERVAL_EVENTS = 400;
const LOG_TAIL = 300;

interface Keyframe {
  index: number;
  snapshot: SimSnapshot;
}

/**
 * One loaded scenario in the worker: the run, keyframes for stepping back, breakpoints.
 * It knows nothing of postMessage, so it runs the same in Node tests.
 */
export class Session {
  run: ScenarioRun;
  breakpoints: Breakpoint[] = [];
  private keyframes: Keyframe[] = [];
  private keyframeBytes = 0;
  private readonly snapshotBytes: number;
  private brokenDowntime = new Set<number>();

  private constructor(readonly scenario: Scenario) {
    this.run = new ScenarioRun(scenario);
    this.snapshotBytes = estimateSnapshotBytes(scenario);
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
    return (
      this.runWhile(() => `${sim.phases.length}/${open()}` === before, Number.POSITIVE_INFINITY) ?? undefined
    );
  }

  runToEnd(): void {
    this.forward(Number.POSITIVE_INFINITY, false);
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
      log: sim.log.slice(-LOG_TAIL),
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
    return this.runWhile(() => this.index < target, Number.POSITIVE_INFINITY, honourBreakpoints);
  }

  private runWhile(cond: () => boolean, _limit: number, honourBreakpoints = false): string | undefined {
    const sim = this.run.sim;
    while (!sim.finished && cond()) {
      const reason = this.stepOne(honourBreakpoints);
      if (reason) return reason;
    }
    return sim.finished ? 'finished' : undefined;
  }

  /** One event, keyframes as we pass their indices, and the breakpoint check. */
  private stepOne(honourBreakpoints: boolean): string | undefined {
    const sim = this.run.sim;
    const phasesBefore = sim.phases.length;
    const logBefore = sim.log.length;
    if (!sim.step()) return 'finished';
    if (sim.eventIndex % KEYFRAME_INTERVAL_EVENTS === 0) this.captureKeyframe();
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
          if (this.brokenDowntime.has(m.index) || m.s.stopNs === 0 || m.s.resumeNs > 0 || m.terminal)
            continue;
          const remainingNs =
            ((m.toSend.count() + m.toSendDisk.count()) * 4096 * 1e9) /
            Math.max(1, m.link.shareFor(m.capBytesPerSecond));
          const expected = (sim.now - m.s.stopNs + remainingNs) / 1e6;
          if (expected > m.config.downtimeLimitMs) {
            this.brokenDowntime.add(m.index);
            return `breakpoint: downtime of ${m.vm.id} will be about ${expected.toFixed(0)} ms, over its ${m.config.downtimeLimitMs} ms limit`;
          }
        }
      }
    }
    return undefined;
  }

  private captureKeyframe(): void {
    const index = this.index;
    if (this.keyframes.some((k) => k.index === index)) return;
    if (this.keyframeBytes + this.snapshotBytes > KEYFRAME_BUDGET_BYTES) return;
    this.keyframes.push({ index, snapshot: this.run.sim.snapshot() });
    this.keyframes.sort((a, b) => a.index - b.index);
    this.keyframeBytes += this.snapshotBytes;
  }

  private rewindTo(goal: number): void {
    let best: Keyframe | undefined;
    for (const k of this.keyframes) if (k.index <= goal) best = k;
    if (best) {
      this.run.sim.restore(best.snapshot);
    } else {
      this.run.dispose();
      this.run = new ScenarioRun(this.scenario);
    }
    this.brokenDowntime.clear();
  }
}

/** Roughly what one snapshot holds: every VM's memory and disk, and each migration's destination copy. */
function estimateSnapshotBytes(s: Scenario): number {
  const MiB = 1 << 20;
  let bytes = 0;
  for (const vm of s.vms) bytes += (vm.memoryMiB + vm.diskMiB) * MiB;
  for (const m of s.migrations) {
    const vm = s.vms.find((v) => v.id === m.vm);
    if (vm)
      bytes += (vm.memoryMiB + (m.storage === 'local' ? vm.diskMiB : 0) + (m.xbzrle?.cacheMiB ?? 0)) * MiB;
  }
  return Math.max(bytes, 1);
}
