import { type ReactNode, useEffect, useRef } from 'react';
import { setState, useStore } from '../store/store';
import { closeDrawer, DRAWERS, type DrawerId, openDrawer, setMounted, useDrawers } from './drawers';

/**
 * A panel that presentation mode moves into a drawer, so the rest fits one screen: in place
 * otherwise. The open drawer takes the focus; Escape or Close shuts it and gives the focus back.
 */
export function Drawer({ id, children }: { id: DrawerId; children: ReactNode }) {
  const presenting = useStore((s) => s.presenting);
  const open = useDrawers((s) => s.open === id);
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    setMounted(id, true);
    return () => setMounted(id, false);
  }, [id]);
  useEffect(() => {
    if (open && presenting) ref.current?.focus();
  }, [open, presenting]);
  if (!presenting) return children;
  if (!open) return null;
  const label = DRAWERS.find((d) => d.id === id)?.label;
  return (
    <section
      ref={ref}
      className="drawer"
      aria-label={label}
      tabIndex={-1}
      data-testid={`drawer-${id}`}
      onKeyDown={(e) => {
        if (e.key !== 'Escape') return;
        e.stopPropagation();
        closeDrawer();
      }}
    >
      <div className="drawer-head">
        <h2>{label}</h2>
        <button type="button" onClick={closeDrawer}>
          Close
        </button>
      </div>
      {children}
    </section>
  );
}

/** In presentation mode: a button per drawer on the page. */
export function DrawerBar() {
  const presenting = useStore((s) => s.presenting);
  const open = useDrawers((s) => s.open);
  const mounted = useDrawers((s) => s.mounted);
  if (!presenting) return null;
  return (
    <nav className="drawer-bar" aria-label="drawers">
      {DRAWERS.filter((d) => mounted.includes(d.id)).map((d) => (
        <button
          key={d.id}
          type="button"
          aria-expanded={open === d.id}
          onClick={(e) => (open === d.id ? closeDrawer() : openDrawer(d.id, e.currentTarget))}
          data-testid={`open-drawer-${d.id}`}
        >
          {d.label}
        </button>
      ))}
    </nav>
  );
}

/** The header's switch for presentation mode (key p). */
export function PresentButton() {
  const presenting = useStore((s) => s.presenting);
  return (
    <button
      type="button"
      aria-pressed={presenting}
      onClick={() => setState({ presenting: !presenting })}
      title="Presentation mode (p): large text, one screen, the log and details in drawers"
      data-testid="present"
    >
      {presenting ? 'Leave presentation' : 'Present'}
    </button>
  );
}
