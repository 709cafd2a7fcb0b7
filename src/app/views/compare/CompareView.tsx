import { useEffect } from 'react';
import { mechanismById } from '../../../engine/mechanisms';
import { LAB_UIS } from '../../labs';
import { setState, useStore } from '../../store/store';
import { runCompare } from '../../store/workerClient';

/** The lab's variants run side by side on one scenario; the lab draws the results. */
export function CompareView() {
  const results = useStore((s) => s.compareResults);
  const comparing = useStore((s) => s.comparing);
  const scenario = useStore((s) => s.scenario);
  const lab = useStore((s) => s.lab);
  const compare = useStore((s) => s.compare);
  const def = mechanismById(lab);
  const all = def?.variants.map((v) => v.id) ?? [];
  const chosen = compare.length > 0 ? compare : all;
  // Opening the view on a scenario not compared yet runs the comparison once.
  const hasRun = results !== null || comparing;
  useEffect(() => {
    if (!hasRun && scenario && def) runCompare(scenario, def.id, chosen);
  }, [hasRun, scenario, def, chosen]);
  if (!def) return null;
  const section = scenario ? ((scenario as unknown as Record<string, unknown[]>)[def.key] ?? []) : [];
  const toggle = (id: string, on: boolean) => {
    setState({ compare: all.filter((x) => (x === id ? on : chosen.includes(x))) });
  };
  const Compare = LAB_UIS[def.id]?.Compare;
  return (
    <div className="compare-view">
      <h2 className="sr-only">{def.label}: compare</h2>
      <section className="panel">
        <h3>Compare {def.label.toLowerCase()} variants on this scenario's first entry</h3>
        <div className="compare-choices">
          {def.variants.map((v) => (
            <label key={v.id}>
              <input type="checkbox" checked={chosen.includes(v.id)} onChange={(e) => toggle(v.id, e.target.checked)} />{' '}
              {v.label}
            </label>
          ))}
          <button
            type="button"
            className="primary"
            disabled={!scenario || comparing || chosen.length === 0 || section.length === 0}
            onClick={() => scenario && runCompare(scenario, def.id, chosen)}
          >
            {comparing ? 'Running…' : 'Run comparison'}
          </button>
        </div>
        {section.length === 0 && <p className="muted">This scenario has no {def.key} entry to compare.</p>}
      </section>
      {results && results.length > 0 && Compare && <Compare results={results} />}
    </div>
  );
}
