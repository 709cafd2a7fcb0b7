/// <reference lib="webworker" />

import { checkCompare } from '../engine/compare';
import { observeEvents } from '../engine/eventStream';
import { logTable, toCsv } from '../engine/exportTables';
import { mechanismById } from '../engine/mechanisms';
import { ScenarioRun } from '../engine/run';
import { checkBudget, TAB_BUDGET_BYTES } from '../engine/scenario/budget';
import type { Scenario } from '../engine/scenario/schema';
import { parseScenario } from '../engine/scenario/validate';
import type { BreakpointSpec, Command, CompareEntry, Frame, WorkerMessage } from './protocol';
import { KEYFRAME_BUDGET_BYTES, type Move, Session } from './session';

/** Wall-clock time the worker simulates between two looks at its inbox. */
const SLICE_MS = 12;
/** A job that has run this long says what it is doing (the app shows it and offers Cancel). */
const BUSY_AFTER_MS = 100;
/** A phase shorter than this share of the run's length has no visible width on the timeline. */
const VISIBLE_PHASE_SHARE = 1 / 500;

declare const self: DedicatedWorkerGlobalScope;

/**
 * Run `fn` once the messages already in the inbox have been read. A zero-delay setTimeout
 * waits at least 4 ms once timeouts nest (HTML's timer clamping), which a job of many 12 ms
 * slices paid on each (End on precopy-no-converge in Chromium: 2.0-2.2 s with it, 1.5-1.9 s
 * without).
 */
const afterInbox = (() => {
  const channel = new MessageChannel();
  const waiting: (() => void)[] = [];
  channel.port1.onmessage = () => waiting.shift()?.();
  return (fn: () => void) => {
    waiting.push(fn);
    channel.port2.postMessage(null);
  };
})();

let session: Session | undefined;
let breakpoints: BreakpointSpec[] = [];
let playing = false;
let speed = 1;
let playStartWall = 0;
let playStartSim = 0;
let awaitingAck = false;
let frameOwed = false;
/** Extra wall time per slice, for tests that need a command to be slow on purpose. */
let debugSlowMs = 0;

/** A long command run in slices, so the inbox is read between them: Cancel, and nothing else moves. */
interface Job {
  label: string;
  started: number;
  announced: boolean;
  advance(deadline: () => boolean): boolean;
  progress(): number | null;
  finish(cancelled: boolean): void;
}
let job: Job | null = null;
/** Commands that arrived while a job ran and must not be lost (a comparison after a load's seek). */
const queued: (() => void)[] = [];

/** The run's shape (length, end time, phases), computed in the background after a load. */
let shapeRun: ScenarioRun | null = null;
let shape: { events: number; endNs: number } | null = null;

function post(message: WorkerMessage): void {
  if (message.type === 'frame' && session) self.postMessage(message, session.transferables(message));
  else self.postMessage(message);
}

function sendFrame(stopReason?: string, tag?: string): void {
  if (!session) return;
  const frame: Frame = session.frame(playing, stopReason);
  if (tag) frame.tag = tag;
  awaitingAck = true;
  frameOwed = false;
  post(frame);
}

function report(e: unknown): void {
  playing = false;
  job = null;
  post({ type: 'busy', label: null, progress: null });
  const message = e instanceof Error ? e.message : String(e);
  post({ type: 'error', errors: [{ path: '', message: `the simulation stopped: ${message}` }] });
}

function spin(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // a command made slow on purpose (tests only)
  }
}

// ---- jobs ------------------------------------------------------------------------------------

function startJob(j: Omit<Job, 'started' | 'announced'>): void {
  playing = false;
  job = { ...j, started: performance.now(), announced: false };
  runJob();
}

function runJob(): void {
  const j = job;
  if (!j) return;
  const sliceEnd = performance.now() + SLICE_MS;
  let done: boolean;
  try {
    done = j.advance(() => performance.now() > sliceEnd);
    if (debugSlowMs) spin(debugSlowMs);
  } catch (e) {
    report(e);
    return;
  }
  if (done) {
    job = null;
    if (j.announced) post({ type: 'busy', label: null, progress: null });
    j.finish(false);
    queued.shift()?.();
    return;
  }
  if (performance.now() - j.started > BUSY_AFTER_MS) {
    j.announced = true;
    post({ type: 'busy', label: j.label, progress: j.progress() });
  }
  afterInbox(runJob);
}

function cancelJob(): void {
  const j = job;
  if (!j) return;
  job = null;
  post({ type: 'busy', label: null, progress: null });
  j.finish(true);
}

/** A session move as a job: when it ends (or is cancelled where it got to), a frame shows it. */
function moveJob(move: Move, withStopReason = false, tag?: string): void {
  startJob({
    label: move.label,
    advance: (deadline) => move.advance(deadline),
    progress: () => move.progress(),
    finish: (cancelled) => {
      if (cancelled) move.cancel?.();
      if (cancelled) sendFrame(`cancelled: ${move.label.toLowerCase()} stopped at event ${session?.index ?? 0}`);
      else sendFrame(withStopReason ? endReason(move.stopReason) : session?.finished ? 'finished' : undefined, tag);
    },
  });
}

/** 'finished', with the breakpoints that never fired named, so a missed breakpoint is not a mystery. */
function endReason(reason: string | undefined): string | undefined {
  if (reason !== 'finished' || !session) return reason;
  const unhit = session.unhitBreakpoints();
  return unhit.length ? `finished; never hit: ${unhit.join(', ')}` : reason;
}

// ---- playing ---------------------------------------------------------------------------------

function startPlaying(newSpeed: number): void {
  if (!session || session.finished) return;
  speed = newSpeed;
  playing = true;
  playStartWall = performance.now();
  playStartSim = session.run.sim.now;
  setTimeout(loop, 0);
}

function loop(): void {
  if (!playing || !session) return;
  const sliceEnd = performance.now() + SLICE_MS;
  const simLimit = Number.isFinite(speed)
    ? playStartSim + (performance.now() - playStartWall) * speed * 1e6
    : Number.POSITIVE_INFINITY;
  let stopReason: string | undefined;
  try {
    stopReason = session.play(simLimit, () => performance.now() > sliceEnd);
  } catch (e) {
    report(e);
    return;
  }
  if (stopReason) {
    playing = false;
    sendFrame(endReason(stopReason));
    return;
  }
  if (!awaitingAck) sendFrame();
  else frameOwed = true;
  setTimeout(loop, 0);
}

// ---- the run's shape, in the background ----------------------------------------------------------

/** Run a second copy of the scenario to its end while nothing else runs, if the tab can hold two. */
function startShape(scenario: Scenario): void {
  shapeRun?.dispose();
  shapeRun = null;
  shapeScenario = null;
  shape = null;
  const twice = { ...scenario, vms: [...scenario.vms, ...scenario.vms] };
  if (checkBudget(twice, TAB_BUDGET_BYTES, KEYFRAME_BUDGET_BYTES).length) return;
  shapeScenario = scenario;
  setTimeout(shapeSlice, 0);
}

/**
 * The session's initial guest memory, a slice at a time while nothing else runs. A command
 * that reads the memory first writes the rest at once.
 */
function fillSlice(): void {
  if (!session || job || playing) return;
  const end = performance.now() + SLICE_MS;
  if (!session.run.materializeSome(() => performance.now() > end)) afterInbox(fillSlice);
}

/** The scenario whose shape is wanted; its run is built in the first idle slice, after the first frame. */
let shapeScenario: Scenario | null = null;

function shapeSlice(): void {
  if (job || playing) {
    setTimeout(shapeSlice, 20);
    return;
  }
  if (shapeScenario && !shapeRun) {
    shapeRun = new ScenarioRun(shapeScenario);
    shapeScenario = null;
  }
  const run = shapeRun;
  if (!run) return;
  const end = performance.now() + SLICE_MS / 2;
  let n = 0;
  try {
    // Its first step would write all its guest memory at once (a 256 MiB VM: 150-250 ms).
    if (!run.materializeSome(() => performance.now() > end)) {
      setTimeout(shapeSlice, 0);
      return;
    }
    while (!run.sim.finished && ((++n & 255) !== 0 || performance.now() < end)) run.sim.step();
  } catch {
    shapeRun = null;
    return;
  }
  if (!run.sim.finished) {
    post({ type: 'shape', events: null, endNs: run.sim.now, phases: [], progressEvents: run.sim.eventIndex });
    setTimeout(shapeSlice, 0);
    return;
  }
  shape = { events: run.sim.eventIndex, endNs: run.sim.now };
  if (session) session.expectedEvents = shape.events;
  post({ type: 'shape', events: shape.events, endNs: shape.endNs, phases: run.sim.phases.slice(), progressEvents: 0 });
  run.dispose();
  shapeRun = null;
}

function visiblePhaseNs(): number {
  const span = Math.max(shape?.endNs ?? 0, session?.run.sim.now ?? 0);
  return Math.floor(span * VISIBLE_PHASE_SHARE);
}

// ---- commands ----------------------------------------------------------------------------------

function run(command: Command): void {
  switch (command.type) {
    case 'cancel':
      queued.length = 0;
      cancelJob();
      return;
    case 'frameAck':
      awaitingAck = false;
      if (frameOwed && !playing) sendFrame();
      return;
    case 'setBreakpoints':
      breakpoints = command.breakpoints;
      if (session) session.breakpoints = breakpoints;
      return;
    case 'debugSlow':
      debugSlowMs = Math.max(0, Math.min(2000, command.ms));
      return;
  }
  // A new scenario replaces whatever runs; a comparison waits for the running job; every other
  // move is ignored while a long command runs, so a second press cannot overshoot.
  if (command.type === 'load') {
    queued.length = 0;
    cancelJob();
  }
  if (job) {
    // Commands wait their turn behind the running job. Presses made while the app shows it as
    // busy never get here (the app drops them), so a second press cannot overshoot.
    queued.push(() => run(command));
    return;
  }
  switch (command.type) {
    case 'load': {
      playing = false;
      // Building a run (allocating its memories) cannot be sliced: say so while it happens.
      post({ type: 'busy', label: 'Building the scenario', progress: null, cancellable: false });
      const result = Session.load(command.scenario);
      post({ type: 'busy', label: null, progress: null });
      if (!result.ok) {
        post({ type: 'error', errors: result.errors });
        return;
      }
      session?.dispose();
      session = result.session;
      session.breakpoints = breakpoints;
      post({ type: 'loaded', scenario: session.scenario, position: command.position ?? 0 });
      startShape(session.scenario);
      if (command.position) moveJob(session.moveTo(command.position));
      else {
        sendFrame();
        // The first frame is on its way: now write the guest memory it did not need, in slices.
        afterInbox(fillSlice);
      }
      return;
    }
    case 'compare':
      compare(command.scenario, command.mechanism, command.variants);
      return;
    case 'inspect':
      post({ type: 'inspection', query: command.query, inspection: session?.inspect(command.query) ?? null });
      return;
    case 'export':
      if (command.what === 'log') {
        if (session) post({ type: 'exported', what: 'log', text: toCsv(logTable(session.run.sim.log)) });
      } else if (session) exportEvents(session.scenario);
      return;
  }
  if (!session) return;
  switch (command.type) {
    case 'play':
      startPlaying(command.speed);
      return;
    case 'pause':
      playing = false;
      sendFrame();
      return;
    case 'step':
      moveJob(session.moveTo(session.index + command.count));
      return;
    case 'stepBack':
      moveJob(session.moveTo(Math.max(0, session.index - command.count)));
      return;
    case 'seek':
      moveJob(session.moveTo(command.eventIndex));
      return;
    case 'nextPhase':
      moveJob(session.moveNextPhase(visiblePhaseNs()));
      return;
    case 'runToEnd':
      moveJob(session.moveToEnd(true), true);
      return;
    case 'runUntil':
      moveJob(session.moveUntil(command.breakpoint), false, command.tag);
      return;
    case 'mark':
      sendFrame(session.finished ? 'finished' : undefined, command.tag);
      return;
  }
}

/** Every event of the whole run as JSON lines, from a second copy of the scenario run to its end. */
function exportEvents(scenario: Scenario): void {
  const lines: string[] = [];
  let run: ScenarioRun | null = null;
  startJob({
    label: 'Recording every event of the run',
    progress: () => (run && shape ? Math.min(1, run.sim.eventIndex / shape.events) : null),
    advance: (deadline) => {
      if (!run) {
        run = new ScenarioRun(scenario);
        observeEvents(run, (record) => lines.push(JSON.stringify(record)));
      }
      let n = 0;
      while (!run.sim.finished) {
        run.sim.step();
        if ((++n & 255) === 0 && deadline()) return false;
      }
      return true;
    },
    finish: (cancelled) => {
      run?.dispose();
      if (!cancelled) post({ type: 'exported', what: 'events', text: lines.length ? `${lines.join('\n')}\n` : '' });
    },
  });
}

/** Each variant run to its end, one after another, in slices. */
function compare(input: unknown, mechanism: string, variants: string[]): void {
  const parsed = parseScenario(input);
  if (!parsed.ok) {
    post({ type: 'error', errors: parsed.errors });
    return;
  }
  const errors = checkCompare(parsed.scenario, mechanism, variants, TAB_BUDGET_BYTES);
  const def = mechanismById(mechanism);
  if (errors.length || !def) {
    post({ type: 'error', errors });
    return;
  }
  const results: CompareEntry[] = [];
  let i = 0;
  let current: ScenarioRun | null = null;
  startJob({
    label: `Comparing ${variants.length} variants`,
    progress: () => i / variants.length,
    advance: (deadline) => {
      while (i < variants.length) {
        const variant = def.variants.find((v) => v.id === variants[i]);
        if (!variant) {
          i++;
          continue;
        }
        current ??= new ScenarioRun(variant.apply(parsed.scenario) as Scenario);
        let n = 0;
        while (!current.sim.finished) {
          current.sim.step();
          if ((++n & 255) === 0 && deadline()) return false;
        }
        results.push({ variant: variant.id, label: variant.label, summary: current.summary() });
        current.dispose();
        current = null;
        i++;
      }
      return true;
    },
    finish: (cancelled) => {
      current?.dispose();
      post({ type: 'compareResult', mechanism, results: cancelled ? [] : results, cancelled });
    },
  });
}

self.onmessage = (e: MessageEvent<Command>) => {
  try {
    run(e.data);
  } catch (err) {
    report(err);
  }
};
