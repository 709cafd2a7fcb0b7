import type { InspectQuery } from '../../engine/mechanismDefinition';
import { presetMatching } from '../../engine/scenario/presets';
import type { BreakpointSpec, Command, Frame, WorkerMessage } from '../../worker/protocol';
import { noteFrame } from '../lessons/lessonControl';
import { type AppState, getState, setState } from './store';

/** The one Worker that runs the simulation; the app only sends commands and stores what comes back. */
let worker: Worker | null = null;
/** What to do with the next 'loaded' or 'error' reply to a load (e.g. the scenario editor's Apply). */
let pendingLoad: {
  onLoaded?: () => void;
  onError?: (errors: { path: string; message: string }[]) => void;
} | null = null;

/** A load was answered ('loaded'): the next frame is the new scenario's. */
let loadedSeen = false;
/** The last scenario the worker loaded: reopened if the worker dies (out of memory, a crash). */
let lastLoaded: unknown = null;

function ensureWorker(): Worker {
  if (worker) return worker;
  worker = new Worker(new URL('../../worker/worker.ts', import.meta.url), { type: 'module' });
  worker.onmessage = (e: MessageEvent<WorkerMessage>) => receive(e.data);
  worker.onerror = (e) => workerDied(e.message || 'it stopped without a message (out of memory?)');
  return worker;
}

/** Start a new worker on the last scenario that ran, so the page is never left blank. */
export function workerDied(reason: string): void {
  worker?.terminate();
  worker = null;
  seekInFlight = false;
  pendingSeek = null;
  pendingLoad = null;
  dropWaitingFrame();
  setState({
    banner: {
      title: 'The simulation stopped; the last scenario that ran was reopened from its start',
      errors: [{ path: '', message: reason }],
    },
    comparing: false,
  });
  if (lastLoaded !== null) loadScenario(lastLoaded);
}

export function send(command: Command): void {
  ensureWorker().postMessage(command);
}

/** Commands that move the run: ignored while a long one runs, so a second press cannot overshoot. */
export function move(command: Command): void {
  // Dropped while a long move is shown running; a scenario being built just makes it wait its turn.
  if (getState().busy?.cancellable) return;
  send(command);
}

export function cancel(): void {
  send({ type: 'cancel' });
}

/** Tests make long commands slow on purpose with `?slow=<ms per slice>`. */
const slowMs = Number(new URLSearchParams(location.search).get('slow'));
if (slowMs > 0) send({ type: 'debugSlow', ms: slowMs });

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
      if (!s.frame) performance.mark('vmlab:first-frame'); // first load, measured by e2e/a11y.spec.ts
      showFrame(message);
      noteFrame(message.tag, message.eventIndex);
      // The explained item follows the run: ask again at the new position (only while paused).
      if (s.selected && !message.playing) send({ type: 'inspect', query: s.selected });
      requestAnimationFrame(() => send({ type: 'frameAck' }));
      return;
    }
    case 'loaded':
      dropWaitingFrame();
      loadedSeen = true;
      lastLoaded = message.scenario;
      setState({
        shape: null,
        scenario: message.scenario,
        // A preset is recognised by its content: an edited one is custom.
        presetId: presetMatching(message.scenario)?.id ?? null,
        maxEventSeen: message.position,
        totalEvents: null,
        compareResults: null,
      });
      pendingLoad?.onLoaded?.();
      pendingLoad = null;
      return;
    case 'error':
      if (getState().comparing) setState({ comparing: false });
      if (getState().loading) setState({ loading: false });
      if (pendingLoad?.onError) pendingLoad.onError(message.errors);
      else setState({ banner: { title: 'The scenario could not be run', errors: message.errors } });
      pendingLoad = null;
      return;
    case 'compareResult':
      setState({ compareResults: message.cancelled ? null : message.results, comparing: false });
      return;
    case 'busy':
      setState({
        busy:
          message.label === null
            ? null
            : { label: message.label, progress: message.progress, cancellable: message.cancellable !== false },
      });
      return;
    case 'shape':
      setState({
        shape: message,
        ...(message.events !== null ? { totalEvents: message.events, maxEventSeen: message.events } : {}),
      });
      return;
    case 'exported': {
      const done = exportWaiting.get(message.what);
      exportWaiting.delete(message.what);
      done?.(message.text);
      return;
    }
    case 'inspection':
      // The reply to the item still selected (a click on another may have come since).
      if (JSON.stringify(getState().selected) === JSON.stringify(message.query))
        setState({ inspection: message.inspection });
      return;
  }
}

/**
 * While playing, the views other than the page grids take a new frame at most this often: their
 * redraws (log, timeline, charts, figures), not the grids', are what costs a frame its budget.
 */
const PLAYING_VIEWS_MS = 100;
let viewsShownAt = 0;
let viewsWaiting: Frame | null = null;
let viewsTimer: ReturnType<typeof setTimeout> | undefined;

/** Every frame goes to the grids (liveFrame); the other views get it now, or the newest one when their turn comes. */
function showFrame(frame: Frame): void {
  const now = performance.now();
  if (frame.playing && now - viewsShownAt < PLAYING_VIEWS_MS) {
    viewsWaiting = frame;
    setState({ liveFrame: frame });
    viewsTimer ??= setTimeout(showWaitingFrame, PLAYING_VIEWS_MS - (now - viewsShownAt));
    return;
  }
  dropWaitingFrame();
  viewsShownAt = now;
  setState({ liveFrame: frame, ...viewsFrame(frame) });
}

/** A frame of the scenario before a load (or a dead worker) must not land after it. */
function dropWaitingFrame(): void {
  clearTimeout(viewsTimer);
  viewsTimer = undefined;
  viewsWaiting = null;
}

function showWaitingFrame(): void {
  viewsTimer = undefined;
  const frame = viewsWaiting;
  viewsWaiting = null;
  if (!frame) return;
  viewsShownAt = performance.now();
  setState(viewsFrame(frame));
}

function viewsFrame(frame: Frame): Partial<AppState> {
  const s = getState();
  return {
    frame,
    // The first frame after a load is the loaded scenario's (the worker answers in order).
    ...(s.loading && loadedSeen ? { loading: false } : {}),
    maxEventSeen: Math.max(s.maxEventSeen, frame.eventIndex),
    totalEvents: frame.finished ? frame.eventIndex : s.totalEvents,
  };
}

export function loadScenario(
  scenario: unknown,
  position = 0,
  callbacks: { onLoaded?: () => void; onError?: (errors: { path: string; message: string }[]) => void } = {},
): void {
  pendingLoad = callbacks;
  loadedSeen = false;
  setState({ loading: true });
  send({ type: 'load', scenario, position });
  send({ type: 'setBreakpoints', breakpoints: getState().breakpoints });
}

export function runCompare(scenario: unknown, mechanism: string, variants: string[]): void {
  setState({ comparing: true, compareResults: null });
  send({ type: 'compare', scenario, mechanism, variants });
}

/** Select an item of a lab's view; the details panel shows what the worker says of it. */
export function inspect(query: InspectQuery): void {
  setState({ selected: query });
  send({ type: 'inspect', query });
}

export function setBreakpoints(breakpoints: BreakpointSpec[]): void {
  setState({ breakpoints });
  send({ type: 'setBreakpoints', breakpoints });
}

export function play(): void {
  send({ type: 'play', speed: getState().speed });
}

export function togglePlay(): void {
  if (getState().busy?.cancellable) return;
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

const exportWaiting = new Map<'log' | 'events', (text: string) => void>();

/** Ask the worker for the log or the whole event stream; `done` gets the text. */
export function requestExport(what: 'log' | 'events', done: (text: string) => void): void {
  exportWaiting.set(what, done);
  send({ type: 'export', what });
}
