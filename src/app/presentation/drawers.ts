import { create } from 'zustand';

/** The panels presentation mode moves off the screen into drawers, in the order of their buttons. */
export const DRAWERS = [
  { id: 'log', label: 'Event log' },
  { id: 'breakpoints', label: 'Breakpoints' },
  { id: 'details', label: 'Run details' },
] as const;
export type DrawerId = (typeof DRAWERS)[number]['id'];

interface DrawerState {
  /** The open drawer (one at a time). */
  open: DrawerId | null;
  /** The button that opened it: the focus goes back there on close. */
  opener: HTMLElement | null;
  /** Drawers whose panel is on the page now (compare has no breakpoints). */
  mounted: readonly DrawerId[];
}

export const useDrawers = create<DrawerState>(() => ({ open: null, opener: null, mounted: [] }));

export function openDrawer(id: DrawerId | null, opener: HTMLElement | null = null): void {
  useDrawers.setState({ open: id, opener });
}

export function closeDrawer(): void {
  const { opener } = useDrawers.getState();
  useDrawers.setState({ open: null, opener: null });
  if (opener?.isConnected) opener.focus();
}

export function setMounted(id: DrawerId, on: boolean): void {
  useDrawers.setState((s) => ({ mounted: on ? [...s.mounted, id] : s.mounted.filter((m) => m !== id) }));
}
