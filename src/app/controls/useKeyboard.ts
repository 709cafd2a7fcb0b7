import { useEffect } from 'react';
import { getState, setState } from '../store/store';
import { send, togglePlay } from '../store/workerClient';

/** The shortcuts listed in the help overlay (ignored while typing in a field). */
export function useKeyboard(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT'))
        return;
      const s = getState();
      if (e.key === 'Escape') {
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
          return act(togglePlay);
        case 'ArrowRight':
          return act(() => send(e.shiftKey ? { type: 'nextPhase' } : { type: 'step', count: 1 }));
        case 'ArrowLeft':
          return act(() => send({ type: 'stepBack', count: e.shiftKey ? 100 : 1 }));
        case 'Home':
          return act(() => send({ type: 'seek', eventIndex: 0 }));
        case 'End':
          return act(() => send({ type: 'runToEnd' }));
        case '?':
          return act(() => setState({ helpOpen: !s.helpOpen }));
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
