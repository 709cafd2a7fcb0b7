import { useSyncExternalStore } from 'react';

const darkQuery = typeof window === 'undefined' ? null : window.matchMedia('(prefers-color-scheme: dark)');

function subscribe(onChange: () => void): () => void {
  darkQuery?.addEventListener('change', onChange);
  return () => darkQuery?.removeEventListener('change', onChange);
}

const isDark = () => darkQuery?.matches ?? false;

/** True while the system asks for a dark theme; canvas and d3 colours follow it. */
export function useDarkMode(): boolean {
  return useSyncExternalStore(subscribe, isDark);
}
