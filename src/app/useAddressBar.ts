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
        const hash = linkToHere();
        if (hash && hash !== location.hash) history.replaceState(null, '', hash);
      }, 250);
    });
    return () => {
      clearTimeout(timer);
      unsubscribe();
    };
  }, []);
}
