import { useMemo, useState } from 'react';
import { formatFieldError, parseScenario } from '../../engine/scenario/validate';
import { COMMON_FIELDS, type FormField, fieldId, getAt, setAt } from './scenarioFields';

/**
 * The common fields as a form beside the JSON. The JSON text stays the one source: a change
 * here rewrites it (keeping whatever else was typed there), and each field shows the message
 * the validator gives for its path, worded as in the list under the JSON.
 */
export function ScenarioForm({ text, onText }: { text: string; onText: (text: string) => void }) {
  // What is being typed in a number field ("1." on the way to "1.5"), until it loses focus.
  const [drafts, setDrafts] = useState<Record<string, string>>({});
  const parsed = useMemo(() => {
    try {
      const json: unknown = JSON.parse(text);
      const result = parseScenario(json);
      return { json, errors: result.ok ? [] : result.errors };
    } catch {
      return null;
    }
  }, [text]);
  if (!parsed) {
    return (
      <p className="muted scenario-form" data-testid="scenario-form">
        The form comes back once the JSON parses.
      </p>
    );
  }
  const fields = COMMON_FIELDS.filter((f) => getAt(parsed.json, f.path) !== undefined);
  if (fields.length === 0) return null;
  const write = (f: FormField, value: unknown) => onText(JSON.stringify(setAt(parsed.json, f.path, value), null, 2));
  return (
    <fieldset className="scenario-form" data-testid="scenario-form">
      <legend>Common fields</legend>
      {fields.map((f, i) => {
        const id = fieldId(f);
        const error = parsed.errors.find((e) => e.path === id);
        const value = getAt(parsed.json, f.path);
        const common = {
          id: `field-${id}`,
          'aria-invalid': error !== undefined,
          'aria-describedby': error ? `error-${id}` : undefined,
          'data-field': id,
          'data-autofocus': i === 0 ? true : undefined,
        };
        return (
          <div key={id} className="form-field">
            <label htmlFor={common.id}>
              {f.label}
              {f.unit && <span className="muted"> ({f.unit})</span>}
            </label>
            {f.options ? (
              <select {...common} value={String(value)} onChange={(e) => write(f, e.target.value)}>
                {!f.options.some((o) => o.value === value) && <option value={String(value)}>{String(value)}</option>}
                {f.options.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
            ) : (
              <input
                {...common}
                type="text"
                inputMode="decimal"
                value={drafts[id] ?? String(value)}
                onChange={(e) => {
                  const raw = e.target.value;
                  setDrafts({ ...drafts, [id]: raw });
                  const n = Number(raw);
                  // Not a number: written as typed, so the validator names the field.
                  write(f, raw.trim() !== '' && Number.isFinite(n) ? n : raw);
                }}
                onBlur={() => setDrafts(({ [id]: _, ...rest }) => rest)}
              />
            )}
            {error && (
              <span className="field-error" id={`error-${id}`} data-testid={`field-error-${id}`}>
                {formatFieldError(error)}
              </span>
            )}
          </div>
        );
      })}
    </fieldset>
  );
}
