import { findPreset, PRESETS } from '../../engine/scenario/presets';
import { loadPreset, shareLink } from '../links';
import { setState, useStore } from '../store/store';

async function share(): Promise<void> {
  const link = shareLink();
  if (!link) return;
  try {
    await navigator.clipboard.writeText(link);
    setState({ toast: 'Link copied: it reopens this scenario at this event, in this view.' });
  } catch {
    setState({ toast: 'The link is in the address bar (the clipboard was not available).' });
  }
}

export function Header() {
  const presetId = useStore((s) => s.presetId);
  const scenario = useStore((s) => s.scenario);
  const view = useStore((s) => s.view);
  const preset = presetId ? findPreset(presetId) : undefined;
  return (
    <header className="app-header">
      <div className="brand">
        <h1>vmlab</h1>
        <span className="muted">hypervisor mechanisms, event by event</span>
      </div>
      <div className="preset">
        <label>
          <span className="sr-only">preset</span>
          <select value={presetId ?? ''} onChange={(e) => loadPreset(e.target.value)} data-testid="preset">
            {!presetId && <option value="">{scenario?.name ?? 'custom scenario'}</option>}
            {PRESETS.map((p) => (
              <option key={p.id} value={p.id}>
                {p.title}
              </option>
            ))}
          </select>
        </label>
        <p className="teaches" data-testid="teaches" title={preset?.teaches ?? scenario?.description ?? undefined}>
          {preset?.teaches ?? scenario?.description ?? scenario?.name ?? ''}
        </p>
      </div>
      <nav className="tabs" aria-label="views">
        {(['migration', 'compare'] as const).map((v) => (
          <button
            key={v}
            type="button"
            className={view === v ? 'tab active' : 'tab'}
            aria-pressed={view === v}
            onClick={() => setState({ view: v })}
            data-testid={`tab-${v}`}
          >
            {v === 'migration' ? 'Migration' : 'Compare'}
          </button>
        ))}
      </nav>
      <div className="actions">
        <button type="button" onClick={() => setState({ editorOpen: true, editorErrors: [] })} disabled={!scenario}>
          Edit scenario
        </button>
        <button type="button" className="primary" onClick={share} disabled={!scenario} data-testid="share">
          Share
        </button>
        <button type="button" onClick={() => setState({ helpOpen: true })} aria-label="help and keyboard shortcuts">
          ?
        </button>
      </div>
    </header>
  );
}
