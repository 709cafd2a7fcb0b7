import type { Strategy } from '../../engine/scenario/schema';
import type { Breakpoint, Command, WorkerMessage } from '../../worker/protocol';
import { getState, setState } from './store';

/** The one Worker that runs the simulation; the app only sends commands and stores what comes back. */
let worker: Worker | null = null;
/** What to do with the next 'loaded' or 'error' reply to a load (e.g. the scenario editor's Apply). */
let pendingLoad: {
  onLoaded?: () => void;
  onError?: (errors: { path: string; message: string }[]) => void;
} | null = null;

function ensureWorker(): Worker {
  if (worker) return worker;
  worker = new Worker(new URL('../../worker/worker.ts', import.meta.url), { type: 'module' });
  worker.onmessage = (e: MessageEvent<WorkerMessage>) => receive(e.data);
  worker.onerror = (e) => {
    setState({
      banner: { title: 'The simulation worker failed', errors: [{ path: '', message: e.message }] },
    });
  };
  return worker;
}

export function send(command: Command): void {
  ensureWorker().postMessage(command);
}

function receive(message: WorkerMessage): void {
  switch (message.type) {
    case 'frame': {
      seekInFlight = false;
      if (pendingSeek !== null) {
        const next = pendingSeek;
        pendingSeek = null;
        seek(next);
      }
      const s = getState();
      setState({
        frame: message,
        maxEventSeen: Math.max(s.maxEventSeen, message.eventIndex),
        totalEvents: message.finished ? message.eventIndex : s.totalEvents,
      });
      requestAnimationFrame(() => send({ type: 'frameAck' }));
      return;
    }
    case 'loaded':
      setState({
        scenario: message.scenario,
        maxEventSeen: message.position,
        totalEvents: null,
        compareResults: null,
      });
      pendingLoad?.onLoaded?.();
      pendingLoad = null;
      return;
    case 'error':
      if (pendingLoad?.onError) pendingLoad.onError(message.errors);
      else setState({ banner: { title: 'The scenario could not be run', errors: message.errors } });
      pendingLoad = null;
      return;
    case 'compareResult':
      setState({ compareResults: message.results, comparing: false });
      return;
  }
}

export function loadScenario(
  scenario: unknown,
  position = 0,
  callbacks: { onLoaded?: () => void; onError?: (errors: { path: string; message: string }[]) => void } = {},
): void {
  pendingLoad = callbacks;
  send({ type: 'load', scenario, position });
  send({ type: 'setBreakpoints', breakpoints: getState().breakpoints });
}

export function runCompare(scenario: unknown, strategies: Strategy[]): void {
  setState({ comparing: true, compareResults: null });
  send({ type: 'compare', scenario, strategies });
}

export function setBreakpoints(breakpoints: Breakpoint[]): void {
  setState({ breakpoints });
  send({ type: 'setBreakpoints', breakpoints });
}

export function play(): void {
  send({ type: 'play', speed: getState().speed });
}

export function togglePlay(): void {
  const f = getState().frame;
  if (f?.playing) send({ type: 'pause' });
  else if (f && !f.finished) play();
}

let seekInFlight = false;
let pendingSeek: number | null = null;

/** Seek to an event index; while one seek is being answered, only the newest target waits (scrubbing). */
export function seek(eventIndex: number): void {
  if (seekInFlight) {
    pendingSeek = eventIndex;
    return;
  }
  seekInFlight = true;
  send({ type: 'seek', eventIndex });
}

export function setSpeed(speed: number): void {
  setState({ speed });
  if (getState().frame?.playing) send({ type: 'play', speed });
}
