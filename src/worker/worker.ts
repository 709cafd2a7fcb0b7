/// <reference lib="webworker" />

import { checkCompare, compareVariants } from '../engine/compare';
import { TAB_BUDGET_BYTES } from '../engine/scenario/budget';
import { parseScenario } from '../engine/scenario/validate';
import type { BreakpointSpec, Command, Frame, WorkerMessage } from './protocol';
import { Session } from './session';

/** Wall-clock time the worker simulates between two looks at its inbox. */
const SLICE_MS = 12;

declare const self: DedicatedWorkerGlobalScope;

let session: Session | undefined;
let breakpoints: BreakpointSpec[] = [];
let playing = false;
let speed = 1;
let playStartWall = 0;
let playStartSim = 0;
let awaitingAck = false;
let frameOwed = false;

function post(message: WorkerMessage): void {
  if (message.type === 'frame' && session) self.postMessage(message, session.transferables(message));
  else self.postMessage(message);
}

function sendFrame(stopReason?: string): void {
  if (!session) return;
  const frame: Frame = session.frame(playing, stopReason);
  awaitingAck = true;
  frameOwed = false;
  post(frame);
}

function report(e: unknown): void {
  playing = false;
  const message = e instanceof Error ? e.message : String(e);
  post({ type: 'error', errors: [{ path: '', message: `the simulation stopped: ${message}` }] });
}

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
    sendFrame(stopReason);
    return;
  }
  if (!awaitingAck) sendFrame();
  else frameOwed = true;
  setTimeout(loop, 0);
}

function run(command: Command): void {
  switch (command.type) {
    case 'load': {
      playing = false;
      const result = Session.load(command.scenario);
      if (!result.ok) {
        post({ type: 'error', errors: result.errors });
        return;
      }
      session?.dispose();
      session = result.session;
      session.breakpoints = breakpoints;
      if (command.position) session.seek(command.position);
      post({ type: 'loaded', scenario: session.scenario, position: session.index });
      sendFrame();
      return;
    }
    case 'frameAck':
      awaitingAck = false;
      if (frameOwed && !playing) sendFrame();
      return;
    case 'setBreakpoints':
      breakpoints = command.breakpoints;
      if (session) session.breakpoints = breakpoints;
      return;
    case 'compare':
      compare(command.scenario, command.mechanism, command.variants);
      return;
    case 'inspect':
      post({ type: 'inspection', query: command.query, inspection: session?.inspect(command.query) ?? null });
      return;
  }
  if (!session) return;
  switch (command.type) {
    case 'play':
      startPlaying(command.speed);
      return;
    case 'pause':
      playing = false;
      break;
    case 'step':
      playing = false;
      session.step(command.count);
      break;
    case 'stepBack':
      playing = false;
      session.stepBack(command.count);
      break;
    case 'seek':
      playing = false;
      session.seek(command.eventIndex);
      break;
    case 'nextPhase':
      playing = false;
      session.nextPhase();
      break;
    case 'runToEnd': {
      playing = false;
      const reason = session.runToEnd(true);
      sendFrame(reason);
      return;
    }
  }
  sendFrame(session.finished ? 'finished' : undefined);
}

function compare(input: unknown, mechanism: string, variants: string[]): void {
  const parsed = parseScenario(input);
  if (!parsed.ok) {
    post({ type: 'error', errors: parsed.errors });
    return;
  }
  const errors = checkCompare(parsed.scenario, mechanism, variants, TAB_BUDGET_BYTES);
  if (errors.length) {
    post({ type: 'error', errors });
    return;
  }
  post({ type: 'compareResult', mechanism, results: compareVariants(parsed.scenario, mechanism, variants) });
}

self.onmessage = (e: MessageEvent<Command>) => {
  try {
    run(e.data);
  } catch (err) {
    report(err);
  }
};
