import { type ReactNode, useState } from 'react';
import type { Breakpoint } from '../../worker/protocol';
import { useStore } from '../store/store';
import { setBreakpoints } from '../store/workerClient';

const SIMPLE: { kind: 'phase' | 'fault' | 'downtime'; label: string }[] = [
  { kind: 'phase', label: 'on a phase change' },
  { kind: 'fault', label: 'on a remote fault' },
  { kind: 'downtime', label: 'when downtime would exceed the limit' },
];

/** Where playback stops by itself. */
export function Breakpoints() {
  const breakpoints = useStore((s) => s.breakpoints);
  const [round, setRound] = useState(2);
  const has = (kind: Breakpoint['kind']) => breakpoints.some((b) => b.kind === kind);
  const toggle = (bp: Breakpoint, on: boolean) => {
    const others = breakpoints.filter((b) => b.kind !== bp.kind);
    setBreakpoints(on ? [...others, bp] : others);
  };
  return (
    <fieldset className="panel breakpoints">
      <legend>Breakpoints</legend>
      <div>
        <Check on={has('round')} onToggle={(on) => toggle({ kind: 'round', round }, on)} testId="bp-round">
          at round
        </Check>{' '}
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
      </div>
      {SIMPLE.map(({ kind, label }) => (
        <Check key={kind} on={has(kind)} onToggle={(on) => toggle({ kind }, on)}>
          {label}
        </Check>
      ))}
    </fieldset>
  );
}

function Check(props: { on: boolean; onToggle: (on: boolean) => void; testId?: string; children: ReactNode }) {
  return (
    <label>
      <input
        type="checkbox"
        checked={props.on}
        onChange={(e) => props.onToggle(e.target.checked)}
        data-testid={props.testId}
      />{' '}
      {props.children}
    </label>
  );
}
