import { useEffect, useRef, useState } from 'react';
import { SCENARIO_VERSION } from '../../engine/scenario/schema';
import { formatFieldError } from '../../engine/scenario/validate';
import { useDialogFocus } from '../presentation/useDialogFocus';
import { setState, useStore } from '../store/store';
import { loadScenario } from '../store/workerClient';
import { ScenarioForm } from './ScenarioForm';

const close = () => setState({ editorOpen: false });

/** The scenario as JSON, with a form for the common fields: Apply validates in the worker; an invalid text stays for fixing. */
export function ScenarioEditor() {
  const open = useStore((s) => s.editorOpen);
  const scenario = useStore((s) => s.scenario);
  const errors = useStore((s) => s.editorErrors);
  const [text, setText] = useState('');
  // The text is taken when the editor opens; a load finishing meanwhile must not overwrite typing.
  // biome-ignore lint/correctness/useExhaustiveDependencies: on opening only
  useEffect(() => {
    if (open && scenario) setText(JSON.stringify(scenario, null, 2));
  }, [open]);
  const ref = useRef<HTMLDivElement>(null);
  useDialogFocus(ref, open, close);
  if (!open) return null;
  const apply = () => {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      setState({ editorErrors: [{ path: 'JSON', message: (e as Error).message }] });
      return;
    }
    loadScenario(json, 0, {
      onLoaded: () => setState({ editorOpen: false, editorErrors: [], compareResults: null }),
      onError: (errs) => setState({ editorErrors: errs }),
    });
  };
  return (
    <div className="overlay" role="presentation">
      <div
        className="dialog editor"
        role="dialog"
        aria-modal="true"
        aria-label="scenario editor"
        tabIndex={-1}
        ref={ref}
      >
        <h2>Scenario</h2>
        <p className="muted">
          Schema version {SCENARIO_VERSION}. Every field but version and hosts has a default; unknown fields are
          refused. The form changes the JSON beside it.
        </p>
        <div className="editor-body">
          <ScenarioForm text={text} onText={setText} />
          <textarea
            value={text}
            onChange={(e) => setText(e.target.value)}
            spellCheck={false}
            aria-label="scenario JSON"
            data-testid="scenario-json"
          />
        </div>
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
