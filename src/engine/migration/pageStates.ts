import type { MigrationRun } from './model';

/** What each cell of a memory grid shows. The UI's legend reads these names and colours. */
export const PageState = {
  Clean: 0,
  Dirty: 1,
  Queued: 2,
  InFlight: 3,
  Present: 4,
  WriteProtected: 5,
  FaultedIn: 6,
  Zero: 7,
  Missing: 8,
  Stale: 9,
} as const;
export type PageStateId = (typeof PageState)[keyof typeof PageState];

export const PAGE_STATE_INFO: { id: PageStateId; name: string; meaning: string }[] = [
  { id: PageState.Clean, name: 'clean', meaning: 'unchanged since the last sync' },
  {
    id: PageState.Dirty,
    name: 'dirtied',
    meaning:
      'written by the guest since the dirty log was last synced (pre-copy), or since it was sent write-protected (hybrid)',
  },
  { id: PageState.Queued, name: 'queued', meaning: 'to be sent in the current pass' },
  { id: PageState.InFlight, name: 'in flight', meaning: 'on the link' },
  { id: PageState.Present, name: 'present at destination', meaning: 'the newest copy is on the destination' },
  {
    id: PageState.WriteProtected,
    name: 'write-protected',
    meaning: 'sent; a write will be trapped and recorded',
  },
  { id: PageState.FaultedIn, name: 'faulted in', meaning: 'brought over by a remote fault' },
  { id: PageState.Zero, name: 'zero', meaning: 'all zero bytes: sent as a 1-byte marker' },
  { id: PageState.Missing, name: 'not there yet', meaning: 'the destination has no copy' },
  { id: PageState.Stale, name: 'stale', meaning: 'the destination has an old copy; a newer one must follow' },
];

/** Per-page state of the source side: what the migration will do with each page. */
export function sourcePageStates(run: MigrationRun, out: Uint8Array): void {
  const mem = run.vm.memory;
  const inFlight = inFlightMask(run);
  const hybrid = run.strategy === 'hybrid';
  const onSource = guestOnSource(run);
  for (let p = 0; p < run.pages; p++) {
    let state: PageStateId;
    if (inFlight[p]) state = PageState.InFlight;
    else if (run.toSend.get(p)) state = PageState.Queued;
    else if (onSource && mem.dirty.get(p)) state = PageState.Dirty;
    else if (onSource && hybrid && run.modified.get(p)) state = PageState.Dirty;
    else if (mem.writeProtect.get(p)) state = PageState.WriteProtected;
    else if (mem.isZeroPage(p)) state = PageState.Zero;
    else state = PageState.Clean;
    out[p] = state;
  }
}

/** Per-page state of the destination's copy. */
export function destinationPageStates(run: MigrationRun, out: Uint8Array): void {
  const inFlight = inFlightMask(run);
  // A cancelled or failed migration that never switched over discards its partial copy.
  const discarded = run.terminal && run.s.status !== 'completed' && !run.resumed;
  const started = run.s.stage !== 'waiting' && !discarded;
  const onSource = guestOnSource(run);
  for (let p = 0; p < run.pages; p++) {
    let state: PageStateId;
    if (inFlight[p]) state = PageState.InFlight;
    else if (!started || run.sendCount[p] === 0) state = PageState.Missing;
    else if (!run.present.get(p)) state = PageState.Stale;
    else if (run.faulted.get(p)) state = PageState.FaultedIn;
    else if (run.toSend.get(p) && !run.terminal) state = PageState.Stale;
    else if (onSource && (run.vm.memory.dirty.get(p) || run.modified.get(p))) state = PageState.Stale;
    else state = PageState.Present;
    out[p] = state;
  }
}

/**
 * The guest still runs (or is stopped) on the source, so its dirty log and hybrid's modified
 * set mean "the destination's copy is old". Once it resumes on the destination they are history.
 */
function guestOnSource(run: MigrationRun): boolean {
  return !run.terminal && !run.resumed;
}

function inFlightMask(run: MigrationRun): Uint8Array {
  const mask = new Uint8Array(run.pages);
  for (const chunk of run.s.chunks) {
    if (chunk.kind !== 'memory') continue;
    for (let k = 0; k < chunk.pages.length; k++) mask[chunk.pages[k]] = 1;
  }
  return mask;
}
