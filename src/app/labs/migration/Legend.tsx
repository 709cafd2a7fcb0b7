import { memo, useMemo } from 'react';
import type { PageStateId } from '../../../engine/migration/pageStates';
import { useDarkMode } from '../../useDarkMode';
import { countStates } from '../../views/grid/gridPainter';
import { swatchStyle } from '../patterns';
import { PAGE_PATTERNS, palette, STATE_INFO } from './pageColors';

/** Colour, pattern, name and meaning of the states one grid can show, with how many of its pages are in each now. */
// Memoised: its grid redraws every frame while playing, but the counts follow the views' slower frame.
export const Legend = memo(function Legend({
  states,
  shown,
  label,
}: {
  states: Uint8Array;
  shown: PageStateId[];
  label: string;
}) {
  const colours = palette(useDarkMode());
  const counts = useMemo(() => countStates(states), [states]);
  return (
    <ul className="legend" aria-label={label}>
      {shown.map((id) => (
        <li key={id} title={STATE_INFO[id].meaning}>
          <span className="swatch" style={swatchStyle(colours[id], PAGE_PATTERNS[id])} />
          <span className="legend-name">{STATE_INFO[id].name}</span>
          <span className="legend-count">{counts[id].toLocaleString('en-US')}</span>
        </li>
      ))}
    </ul>
  );
});
