import { useState } from 'react';
import { scenarioIdentity, shareLink } from '../links';
import { getState, setState, useStore } from '../store/store';

async function copy(text: string, what: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    setState({ toast: `${what} copied.` });
  } catch {
    setState({ toast: `${what}: the clipboard was not available; it is in the address bar.` });
  }
}

/** Share: the link to this moment, the scenario from its start, or an iframe for slides. */
export function ShareMenu() {
  const scenario = useStore((s) => s.scenario);
  const [open, setOpen] = useState(false);
  const items = [
    {
      id: 'share-here',
      label: 'Copy link at this step',
      run: () => {
        const url = shareLink();
        if (url) void copy(url, 'Link to this moment (scenario, event, view, breakpoints, speed)');
      },
    },
    {
      id: 'share-link',
      label: 'Copy link to the scenario',
      run: () => {
        const url = shareLink({ position: 0 });
        if (url) void copy(url, 'Link to the scenario (opens at its start)');
      },
    },
    {
      id: 'share-embed',
      label: 'Copy embed code',
      run: () => {
        const url = shareLink();
        if (!url) return;
        const title = `vmlab: ${scenarioIdentity(getState().scenario, getState().fromPreset).label}`;
        const code = `<iframe src="${url}&embed=1" title="${title.replace(/"/g, '&quot;')}" width="960" height="540" style="border:0" loading="lazy"></iframe>`;
        void copy(code, 'Embed code (an iframe for a 16:9 slide)');
      },
    },
  ];
  return (
    <div className="share-menu">
      <button
        type="button"
        className="primary"
        onClick={() => setOpen(!open)}
        disabled={!scenario}
        aria-expanded={open}
        data-testid="share"
      >
        Share
      </button>
      {open && (
        <ul className="menu">
          {items.map((it) => (
            <li key={it.id}>
              <button
                type="button"
                onClick={() => {
                  setOpen(false);
                  it.run();
                }}
                data-testid={it.id}
              >
                {it.label}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
