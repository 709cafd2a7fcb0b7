import { allMechanisms } from '../../engine/mechanisms';
import { PRESETS } from '../../engine/scenario/presets';
import { loadPreset, scenarioIdentity } from '../links';
import { PresentButton } from '../presentation/Drawer';
import { setState, useStore } from '../store/store';
import { ShareMenu } from './ShareMenu';

/** Open a lab: its first preset, unless the scenario on screen already uses it. */
function openLab(id: string): void {
  const { scenario, lab } = getStateLab();
  if (id === lab) return;
  const def = allMechanisms().find((d) => d.id === id);
  const uses = scenario && def && ((scenario as unknown as Record<string, unknown[]>)[def.key] ?? []).length > 0;
  if (uses) setState({ lab: id, view: 'lab', compareResults: null, compare: [] });
  else {
    const first = PRESETS.find((p) => p.lab === id);
    if (first) loadPreset(first.id);
  }
}

function getStateLab() {
  const { scenario, lab } = useStore.getState();
  return { scenario, lab };
}

export function Header() {
  const presetId = useStore((s) => s.presetId);
  const fromPreset = useStore((s) => s.fromPreset);
  const scenario = useStore((s) => s.scenario);
  const view = useStore((s) => s.view);
  const lab = useStore((s) => s.lab);
  const identity = scenarioIdentity(scenario, fromPreset);
  const labs = allMechanisms();
  const teaches = identity.preset?.teaches ?? scenario?.description ?? scenario?.name ?? '';
  return (
    <header className="app-header">
      <div className="brand">
        <h1>vmlab</h1>
        <span className="muted">hypervisor mechanisms, event by event</span>
      </div>
      {
        <nav className="tabs labs" aria-label="labs">
          {labs.map((d) => (
            <button
              key={d.id}
              type="button"
              className={lab === d.id ? 'tab active' : 'tab'}
              aria-pressed={lab === d.id}
              onClick={() => openLab(d.id)}
              data-testid={`lab-${d.id}`}
            >
              {d.label}
            </button>
          ))}
        </nav>
      }
      <div className="preset">
        <label>
          <span className="sr-only">preset</span>
          <select value={presetId ?? ''} onChange={(e) => loadPreset(e.target.value)} data-testid="preset">
            {!presetId && <option value="">{identity.label}</option>}
            {labs.map((d) => (
              <optgroup key={d.id} label={d.label}>
                {PRESETS.filter((p) => p.lab === d.id).map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.title}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </label>
        <p className="teaches" data-testid="teaches" title={teaches || undefined}>
          {identity.custom && <span className="custom-badge">{identity.label}. </span>}
          {identity.custom ? (scenario?.description ?? '') : teaches}
        </p>
      </div>
      <nav className="tabs views" aria-label="views">
        {(['lab', 'compare'] as const).map((v) => (
          <button
            key={v}
            type="button"
            className={view === v ? 'tab active' : 'tab'}
            aria-pressed={view === v}
            onClick={() => setState({ view: v })}
            data-testid={`tab-${v}`}
          >
            {v === 'lab' ? 'Run' : 'Compare'}
          </button>
        ))}
      </nav>
      <div className="actions">
        <button type="button" onClick={() => setState({ editorOpen: true, editorErrors: [] })} disabled={!scenario}>
          Edit scenario
        </button>
        <ShareMenu />
        <PresentButton />
        <button type="button" onClick={() => setState({ helpOpen: true })} aria-label="help and keyboard shortcuts">
          ?
        </button>
      </div>
    </header>
  );
}
