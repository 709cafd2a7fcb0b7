import { useMemo } from 'react';
import type { PageStateId } from '../../../engine/migration/pageStates';
import { useDarkMode } from '../../useDarkMode';
import { swatchStyle } from '../patterns';
import { PAGE_PATTERNS, palette, STATE_INFO } from './pageColors';

/** An indexed loop: a for-of over a 262,144-page grid costs a frame's budget in iterator calls. */
function countStates(states: Uint8Array): Uint32Array {
  const counts = new Uint32Array(256);
  for (let i = 0; i < states.length; i++) counts[states[i]]++;
  return counts;
}

/** Colour, pattern, name and meaning of the states one grid can show, with how many of its pages are in each now. */
export function Legend({ states, shown, label }: { states: Uint8Array; shown: PageStateId[]; label: string }) {
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
}
