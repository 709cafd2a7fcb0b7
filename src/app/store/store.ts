import { create } from 'zustand';
import type { CompareEntry } from '../../engine/compare';
import type { PhaseSpan } from '../../engine/kernel/simulation';
import type { Inspection, InspectQuery } from '../../engine/mechanismDefinition';
import type { ViewId } from '../../engine/scenario/linkCodec';
import type { Scenario } from '../../engine/scenario/schema';
import type { FieldError } from '../../engine/scenario/validate';
import type { BreakpointSpec, Frame } from '../../worker/protocol';

export interface Banner {
  title: string;
  errors: FieldError[];
}

export interface AppState {
  /** The frame the views show: while playing, a newer one at most every PLAYING_VIEWS_MS (see workerClient). */
  frame: Frame | null;
  /** The newest frame, every one the worker sends: page grids follow it (useLiveStates) at the full frame rate. */
  liveFrame: Frame | null;
  scenario: Scenario | null;
  /** The preset the scenario on screen is (by content), or null for a custom one. */
  presetId: string | null;
  /** The preset it was loaded or edited from: a custom scenario says "custom (from ...)". */
  fromPreset: string | null;
  /** The open lab: a registered mechanism's id. */
  lab: string;
  view: ViewId;
  /** Variant ids of the lab to compare. */
  compare: string[];
  compareResults: CompareEntry[] | null;
  comparing: boolean;
  /** A scenario is being loaded: the frame on screen is still the previous one's. */
  loading: boolean;
  /** A long command the worker is running (shown with Cancel), or null. */
  busy: { label: string; progress: number | null; cancellable: boolean } | null;
  /** The whole run's length and phases, computed in the background after a load. */
  shape: { events: number | null; endNs: number; phases: PhaseSpan[]; progressEvents: number } | null;
  /** The screen is blanked (`b`, as presentation software does). */
  blanked: boolean;
  /** The guided lesson being played, if any. */
  lesson: import('../lessons/lessonControl').LessonState | null;
  /** The item clicked last (a page, ...) and what the worker says of it. */
  selected: InspectQuery | null;
  inspection: Inspection | null;
  /** Playback speed in simulated seconds per second; Infinity = as fast as possible. */
  speed: number;
  breakpoints: BreakpointSpec[];
  /** The most events the run has been seen to reach (the scrubber's range). */
  maxEventSeen: number;
  totalEvents: number | null;
  banner: Banner | null;
  toast: string | null;
  helpOpen: boolean;
  editorOpen: boolean;
  editorErrors: FieldError[];
  /** Presentation mode (key p): large text, one screen, log and details in drawers. */
  presenting: boolean;
}

export const useStore = create<AppState>(() => ({
  frame: null,
  liveFrame: null,
  scenario: null,
  presetId: null,
  fromPreset: null,
  lab: 'migration',
  view: 'lab',
  compare: [],
  compareResults: null,
  comparing: false,
  blanked: false,
  lesson: null,
  selected: null,
  inspection: null,
  loading: false,
  busy: null,
  shape: null,
  // A quarter of real time: slow enough to watch a grid fill in class, quick enough not to wait.
  speed: 0.25,
  breakpoints: [],
  maxEventSeen: 0,
  totalEvents: null,
  banner: null,
  toast: null,
  helpOpen: false,
  editorOpen: false,
  editorErrors: [],
  presenting: false,
}));

export const setState = useStore.setState;
export const getState = useStore.getState;
