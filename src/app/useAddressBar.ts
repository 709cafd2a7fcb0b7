import { useEffect } from 'react';
import { linkToHere } from './links';
import { useStore } from './store/store';

/** Keep the address bar a link to what is on screen while paused, so copying it shares this moment. */
export function useAddressBar(): void {
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const unsubscribe = useStore.subscribe((s, prev) => {
      if (s.frame === prev.frame && s.view === prev.view && s.breakpoints === prev.breakpoints) return;
      if (!s.frame || s.frame.playing || s.busy) return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        // Display switches beside the link's data (`&embed=1`) stay as they are.
        const extras = location.hash.split('&').filter((p) => !p.startsWith('#s=') && !p.startsWith('s='));
        const hash = linkToHere();
        const next = hash ? [hash, ...extras].join('&') : null;
        if (next && next !== location.hash) history.replaceState(null, '', next);
      }, 250);
    });
    return () => {
      clearTimeout(timer);
      unsubscribe();
    };
  }, []);
}
