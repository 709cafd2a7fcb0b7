import { type ReactNode, useState } from 'react';
import type { BreakpointDefinition, BreakpointSpec } from '../../engine/mechanismDefinition';
import { mechanismById } from '../../engine/mechanisms';
import { RUN_BREAKPOINTS, RUN_BREAKPOINTS_ID } from '../../engine/runBreakpoints';
import { useStore } from '../store/store';
import { setBreakpoints } from '../store/workerClient';

/** Where playback stops by itself: the breakpoints every lab shares, then the open lab's own. */
export function Breakpoints() {
  const lab = useStore((s) => s.lab);
  const def = mechanismById(lab);
  const groups: { mechanism: string; defs: readonly BreakpointDefinition<never>[] }[] = [
    ...(def ? [{ mechanism: def.id, defs: def.breakpoints }] : []),
    { mechanism: RUN_BREAKPOINTS_ID, defs: RUN_BREAKPOINTS },
  ];
  return (
    <fieldset className="panel breakpoints">
      <legend>Breakpoints</legend>
      {groups.flatMap(({ mechanism, defs }) =>
        defs.map((d) => <BreakpointRow key={`${mechanism}.${d.kind}`} mechanism={mechanism} def={d} />),
      )}
    </fieldset>
  );
}

function BreakpointRow({ mechanism, def }: { mechanism: string; def: BreakpointDefinition<never> }) {
  const breakpoints = useStore((s) => s.breakpoints);
  const set = breakpoints.find((b) => b.mechanism === mechanism && b.kind === def.kind);
  const [params, setParams] = useState<Record<string, string | number>>(() =>
    Object.fromEntries((def.params ?? []).map((p) => [p.name, set?.[p.name] ?? p.default])),
  );
  const spec = (values = params): BreakpointSpec => ({ mechanism, kind: def.kind, ...values });
  const toggle = (on: boolean, values = params) => {
    const others = breakpoints.filter((b) => !(b.mechanism === mechanism && b.kind === def.kind));
    setBreakpoints(on ? [...others, spec(values)] : others);
  };
  return (
    <div>
      <Check on={set !== undefined} onToggle={(on) => toggle(on)} testId={`bp-${def.kind}`}>
        {def.label}
      </Check>
      {(def.params ?? []).map((p) => (
        <input
          key={p.name}
          type={p.type === 'text' ? 'text' : 'number'}
          min={p.min}
          value={params[p.name]}
          size={p.type === 'text' ? 14 : undefined}
          onChange={(e) => {
            const value = p.type === 'text' ? e.target.value : Math.max(p.min ?? 0, Number(e.target.value) || 0);
            const next = { ...params, [p.name]: value };
            setParams(next);
            if (set) toggle(true, next);
          }}
          aria-label={p.label}
          data-testid={`bp-${def.kind}-${p.name}`}
        />
      ))}
    </div>
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
