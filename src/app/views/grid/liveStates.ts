import type { Frame } from '../../../worker/protocol';
import { useStore } from '../../store/store';

/** Deep enough for any lab's view payload (labs > mechanism > entries > entry > states). */
const MAX_DEPTH = 5;

/** Per newest frame: each Uint8Array of the views' frame, paired with the one at the same place in the newest. */
const twinsByLiveFrame = new WeakMap<Frame, Map<Uint8Array, Uint8Array>>();

function pair(shown: unknown, live: unknown, into: Map<Uint8Array, Uint8Array>, depth: number): void {
  if (shown instanceof Uint8Array) {
    if (live instanceof Uint8Array && live.length === shown.length) into.set(shown, live);
    return;
  }
  if (depth === 0 || typeof shown !== 'object' || shown === null || typeof live !== 'object' || live === null) return;
  if (ArrayBuffer.isView(shown)) return;
  for (const key of Object.keys(shown)) {
    pair((shown as Record<string, unknown>)[key], (live as Record<string, unknown>)[key], into, depth - 1);
  }
}

export function liveTwins(shown: Frame, live: Frame): Map<Uint8Array, Uint8Array> {
  let map = twinsByLiveFrame.get(live);
  if (!map) {
    map = new Map();
    pair(shown.labs, live.labs, map, MAX_DEPTH);
    twinsByLiveFrame.set(live, map);
  }
  return map;
}

/**
 * A page grid's states as of the newest frame. While playing, the views' frame is renewed only a
 * few times a second (workerClient's PLAYING_VIEWS_MS); a grid given states from it redraws from
 * the array at the same place in the newest frame instead, so grids alone follow every frame.
 */
export function useLiveStates(states: Uint8Array): Uint8Array {
  return useStore((s) => {
    if (!s.frame || !s.liveFrame || s.frame === s.liveFrame) return states;
    return liveTwins(s.frame, s.liveFrame).get(states) ?? states;
  });
}
