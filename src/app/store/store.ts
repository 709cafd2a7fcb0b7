import { create } from 'zustand';
import type { RunSummary } from '../../engine/run';
import type { ViewId } from '../../engine/scenario/linkCodec';
import type { Scenario, Strategy } from '../../engine/scenario/schema';
import type { FieldError } from '../../engine/scenario/validate';
import type { Breakpoint, Frame } from '../../worker/protocol';

export interface Banner {
  title: string;
  errors: FieldError[];
}

export interface CompareResult {
  strategy: Strategy;
  summary: RunSummary;
}

export interface AppState {
  frame: Frame | null;
  scenario: Scenario | null;
  presetId: string | null;
  view: ViewId;
  compare: Strategy[];
  compareResults: CompareResult[] | null;
  comparing: boolean;
  /** Playback speed in simulated seconds per second; Infinity = as fast as possible. */
  speed: number;
  breakpoints: Breakpoint[];
  /** The most events the run has been seen to reach (the scrubber's range). */
  maxEventSeen: number;
  totalEvents: number | null;
  banner: Banner | null;
  toast: string | null;
  helpOpen: boolean;
  editorOpen: boolean;
  editorErrors: FieldError[];
}

export const useStore = create<AppState>(() => ({
  frame: null,
  scenario: null,
  presetId: null,
  view: 'migration',
  compare: [],
  compareResults: null,
  comparing: false,
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
}));

export const setState = useStore.setState;
export const getState = useStore.getState;
