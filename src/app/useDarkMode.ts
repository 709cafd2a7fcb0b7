import { useSyncExternalStore } from 'react';

const query = () => window.matchMedia('(prefers-color-scheme: dark)');

/** True while the system asks for a dark theme; canvas and d3 colours follow it. */
export function useDarkMode(): boolean {
  return useSyncExternalStore(
    (onChange) => {
      const q = query();
      q.addEventListener('change', onChange);
      return () => q.removeEventListener('change', onChange);
    },
    () => query().matches,
  );
}
