import { PAGE_STATE_INFO } from '../../../engine/migration/pageStates';
import { useDarkMode } from '../../useDarkMode';
import { cssColor, palette } from './pageColors';

/** Colour, name and meaning of each page state, with how many pages are in it now. */
export function Legend({ counts }: { counts: Map<number, number> }) {
  const colours = palette(useDarkMode());
  return (
    <ul className="legend" aria-label="page states">
      {PAGE_STATE_INFO.map((s) => (
        <li key={s.id} title={s.meaning}>
          <span className="swatch" style={{ background: cssColor(colours[s.id]) }} />
          {s.name}
          <span className="muted"> {(counts.get(s.id) ?? 0).toLocaleString('en-US')}</span>
        </li>
      ))}
    </ul>
  );
}
