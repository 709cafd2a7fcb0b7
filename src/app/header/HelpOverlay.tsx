import { useRef } from 'react';
import { PAGE_STATE_INFO } from '../../engine/migration/pageStates';
import { PAGE_PATTERNS, palette } from '../labs/migration/pageColors';
import { swatchStyle } from '../labs/patterns';
import { useDialogFocus } from '../presentation/useDialogFocus';
import { setState, useStore } from '../store/store';
import { useDarkMode } from '../useDarkMode';

export const SHORTCUTS: [string, string][] = [
  ['Space', 'play / pause'],
  ['→', 'step one event'],
  ['←', 'step back one event'],
  ['Shift + →', 'run to the next phase'],
  ['Shift + ←', 'step back 100 events'],
  ['Home', 'restart (event 0)'],
  ['End', 'run to the end (or the next breakpoint)'],
  ['P', 'presentation mode: large text, one screen'],
  ['. or PageDown', 'next phase; in a lesson, continue (what presenter remotes send)'],
  ['PageUp', 'back a phase; in a lesson, back a step'],
  ['B', 'blank the screen (any key brings it back)'],
  ['?', 'this help'],
  ['Esc', 'close a dialog, or cancel a long command'],
];

const close = () => setState({ helpOpen: false });

export function HelpOverlay() {
  const open = useStore((s) => s.helpOpen);
  const colours = palette(useDarkMode());
  const ref = useRef<HTMLDivElement>(null);
  useDialogFocus(ref, open, close);
  if (!open) return null;
  return (
    <div className="overlay" role="presentation">
      <div className="dialog" role="dialog" aria-modal="true" aria-label="help" tabIndex={-1} ref={ref}>
        <h2>Keyboard shortcuts</h2>
        <table className="help-table" data-testid="shortcuts">
          <tbody>
            {SHORTCUTS.map(([k, what]) => (
              <tr key={k}>
                <td>
                  <kbd>{k}</kbd>
                </td>
                <td>{what}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <h2>Reading the page grids</h2>
        <table className="help-table help-states">
          <tbody>
            {PAGE_STATE_INFO.map((s) => (
              <tr key={s.id}>
                <th scope="row">
                  <span className="swatch" style={swatchStyle(colours[s.id], PAGE_PATTERNS[s.id])} />
                  {s.name}
                </th>
                <td>{s.meaning}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="muted">Faulted-in pages are drawn as larger squares so that single faults stand out.</p>
        <p>
          Each step is one simulation event. Stepping back restores the nearest keyframe and replays, so it lands
          exactly where a fresh run would stop. The trace hash under Run details is the same for the same link in the
          browser and on the command line (<code>npm run -s sim -- '&lt;link&gt;' --json</code>).
        </p>
        <button type="button" onClick={close}>
          Close
        </button>
      </div>
    </div>
  );
}
