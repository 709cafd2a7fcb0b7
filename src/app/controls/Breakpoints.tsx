import { useState } from 'react';
import type { Breakpoint } from '../../worker/protocol';
import { useStore } from '../store/store';
import { setBreakpoints } from '../store/workerClient';

/** Where playback stops by itself. */
export function Breakpoints() {
  const breakpoints = useStore((s) => s.breakpoints);
  const [round, setRound] = useState(2);
  const has = (kind: Breakpoint['kind']) => breakpoints.some((b) => b.kind === kind);
  const toggle = (bp: Breakpoint, on: boolean) =>
    setBreakpoints(
      on ? [...breakpoints.filter((b) => b.kind !== bp.kind), bp] : breakpoints.filter((b) => b.kind !== bp.kind),
    );
  return (
    <fieldset className="panel breakpoints">
      <legend>Breakpoints</legend>
      <label>
        <input type="checkbox" checked={has('phase')} onChange={(e) => toggle({ kind: 'phase' }, e.target.checked)} />{' '}
        on a phase change
      </label>
      <label>
        <input
          type="checkbox"
          checked={has('round')}
          onChange={(e) => toggle({ kind: 'round', round }, e.target.checked)}
          data-testid="bp-round"
        />{' '}
        at round{' '}
        <input
          type="number"
          min={0}
          value={round}
          onChange={(e) => {
            const n = Math.max(0, Number(e.target.value) || 0);
            setRound(n);
            if (has('round')) toggle({ kind: 'round', round: n }, true);
          }}
          aria-label="round number"
        />
      </label>
      <label>
        <input type="checkbox" checked={has('fault')} onChange={(e) => toggle({ kind: 'fault' }, e.target.checked)} />{' '}
        on a remote fault
      </label>
      <label>
        <input
          type="checkbox"
          checked={has('downtime')}
          onChange={(e) => toggle({ kind: 'downtime' }, e.target.checked)}
        />{' '}
        when downtime would exceed the limit
      </label>
    </fieldset>
  );
}
