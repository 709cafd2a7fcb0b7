import { useEffect } from 'react';
import { lessonBack, lessonContinue } from '../lessons/lessonControl';
import { getState, setState } from '../store/store';
import { cancel, move, togglePlay } from '../store/workerClient';

/**
 * Keys go to the field being typed in, the select, the scrubber; a ticked checkbox (a breakpoint)
 * keeps only space, so the shortcuts still work after setting a breakpoint.
 */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.tagName === 'TEXTAREA' || target.tagName === 'SELECT') return true;
  if (target.tagName !== 'INPUT') return false;
  return (target as HTMLInputElement).type !== 'checkbox';
}

/** The event log moves its own focus with PageUp and PageDown. */
function inLog(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && target.closest('.event-log') !== null;
}

/** To where the current phase began; at its start, to where the one before began. */
function backAPhase(): void {
  const frame = getState().frame;
  if (!frame) return;
  let target = 0;
  for (const p of frame.phases) if (p.startIndex < frame.eventIndex && p.startIndex > target) target = p.startIndex;
  move({ type: 'seek', eventIndex: target });
}

/** The shortcuts listed in the help overlay. */
export function useKeyboard(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isTyping(e.target)) return;
      const s = getState();
      if (s.blanked && e.key !== 'b' && e.key !== 'B') setState({ blanked: false });
      if (e.key === 'Escape') {
        if (s.busy) cancel();
        setState({ helpOpen: false, editorOpen: false });
        return;
      }
      if (s.editorOpen) return;
      const act = (fn: () => void) => {
        e.preventDefault();
        fn();
      };
      switch (e.key) {
        case ' ':
          if (e.target instanceof HTMLInputElement) return; // space ticks the focused checkbox
          return act(togglePlay);
        case 'ArrowRight':
          return act(() => move(e.shiftKey ? { type: 'nextPhase' } : { type: 'step', count: 1 }));
        case 'ArrowLeft':
          return act(() => move({ type: 'stepBack', count: e.shiftKey ? 100 : 1 }));
        case 'Home':
          return act(() => move({ type: 'seek', eventIndex: 0 }));
        case 'End':
          return act(() => move({ type: 'runToEnd' }));
        case '?':
          return act(() => setState({ helpOpen: !s.helpOpen }));
        case 'p':
          if (e.ctrlKey || e.metaKey || e.altKey) return; // Ctrl+P prints
          return act(() => setState({ presenting: !s.presenting }));
        // What presenter remotes send: in a lesson they continue and go back, else they move by phase.
        case '.':
        case 'PageDown':
          if (inLog(e.target)) return;
          return act(() => (s.lesson && !s.lesson.done ? lessonContinue() : move({ type: 'nextPhase' })));
        case 'PageUp':
          if (inLog(e.target)) return;
          return act(() => (s.lesson && !s.lesson.done ? lessonBack() : backAPhase()));
        case 'b':
        case 'B':
          if (e.ctrlKey || e.metaKey || e.altKey) return;
          return act(() => setState({ blanked: !s.blanked }));
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
