import { useState } from 'react';

const KEY_STEPS: Record<string, (cols: number) => number> = {
  ArrowLeft: () => -1,
  ArrowRight: () => 1,
  ArrowUp: (cols) => -cols,
  ArrowDown: (cols) => cols,
};

/**
 * The keyboard's way into a drawn grid (a canvas or an SVG of cells): one tab stop, arrow keys
 * move a cursor cell (with Shift, 16 at a time), Home and End go to the first and last, Enter or
 * space inspects it. The keys it uses never reach the app's shortcuts (step, run to end, play).
 */
export function useCellCursor(count: number, cols: number, onInspect?: (index: number) => void) {
  const [cursor, setCursor] = useState<number | null>(null);
  const [last, setLast] = useState(0);
  const moveTo = (i: number) => {
    const to = Math.max(0, Math.min(count - 1, i));
    setCursor(to);
    setLast(to);
    return to;
  };
  const onKeyDown = (e: React.KeyboardEvent) => {
    const at = cursor ?? Math.min(last, count - 1);
    let handled = true;
    if (KEY_STEPS[e.key]) moveTo(at + KEY_STEPS[e.key](cols) * (e.shiftKey ? 16 : 1));
    else if (e.key === 'Home') moveTo(0);
    else if (e.key === 'End') moveTo(count - 1);
    else if (e.key === 'Enter' || e.key === ' ') onInspect?.(moveTo(at));
    else handled = false;
    if (!handled) return;
    e.preventDefault();
    e.stopPropagation();
  };
  return {
    /** The cell the keyboard is on, while the grid has the focus. */
    cursor,
    props: {
      tabIndex: 0,
      onKeyDown,
      // A click focuses too: the cursor shows only for the keyboard's focus (or at the first key).
      onFocus: (e: React.FocusEvent) => {
        if (e.currentTarget.matches(':focus-visible')) setCursor(Math.min(last, Math.max(0, count - 1)));
      },
      onBlur: () => setCursor(null),
    },
  };
}
