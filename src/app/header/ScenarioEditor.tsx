import { useEffect, useState } from 'react';
import { formatFieldError } from '../../engine/scenario/validate';
import { setState, useStore } from '../store/store';
import { loadScenario } from '../store/workerClient';

/** The scenario as JSON: edit, Apply validates in the worker; an invalid text stays for fixing. */
export function ScenarioEditor() {
  const open = useStore((s) => s.editorOpen);
  const scenario = useStore((s) => s.scenario);
  const errors = useStore((s) => s.editorErrors);
  const [text, setText] = useState('');
  useEffect(() => {
    if (open && scenario) setText(JSON.stringify(scenario, null, 2));
  }, [open, scenario]);
  if (!open) return null;
  const close = () => setState({ editorOpen: false });
  const apply = () => {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      setState({ editorErrors: [{ path: 'JSON', message: (e as Error).message }] });
      return;
    }
    loadScenario(json, 0, {
      onLoaded: () => setState({ editorOpen: false, editorErrors: [], presetId: null, compareResults: null }),
      onError: (errs) => setState({ editorErrors: errs }),
    });
  };
  return (
    <div className="overlay" role="presentation">
      <div className="dialog editor" role="dialog" aria-label="scenario editor">
        <h2>Scenario</h2>
        <p className="muted">
          Schema version 1. Every field but version and hosts has a default; unknown fields are refused.
        </p>
        <textarea
          value={text}
          onChange={(e) => setText(e.target.value)}
          spellCheck={false}
          data-testid="scenario-json"
        />
        {errors.length > 0 && (
          <ul className="errors" data-testid="editor-errors">
            {errors.map((e) => (
              <li key={formatFieldError(e)}>{formatFieldError(e)}</li>
            ))}
          </ul>
        )}
        <div className="dialog-actions">
          <button type="button" className="primary" onClick={apply} data-testid="apply-scenario">
            Apply
          </button>
          <button type="button" onClick={close}>
            Cancel
          </button>
        </div>
      </div>
    </div>
  );
}
