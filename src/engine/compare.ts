import { mechanismById } from './mechanisms';
import { type RunSummary, ScenarioRun } from './run';
import { checkBudget } from './scenario/budget';
import type { Scenario } from './scenario/schema';
import type { FieldError } from './scenario/validate';

export interface CompareEntry {
  variant: string;
  label: string;
  summary: RunSummary;
}

/** Check a compare request: a registered mechanism the scenario uses, and variants it offers. */
export function checkCompare(
  scenario: Scenario,
  mechanism: string,
  variants: string[],
  budgetBytes: number,
): FieldError[] {
  const def = mechanismById(mechanism);
  if (!def) return [{ path: 'compare', message: `unknown mechanism "${mechanism}"` }];
  const known = def.variants.map((v) => v.id);
  const bad = variants.find((v) => !known.includes(v));
  if (variants.length === 0 || bad !== undefined) {
    return [
      {
        path: 'compare',
        message: `expected variants of ${def.id} among ${known.join(', ')}${bad !== undefined ? ` (got "${bad}")` : ''}`,
      },
    ];
  }
  const section = (scenario as unknown as Record<string, unknown[]>)[def.key] ?? [];
  if (section.length === 0) return [{ path: def.key, message: `the scenario has no ${def.key} entry to compare` }];
  // The variants run one after another, each freed before the next: the largest must fit.
  for (const id of variants) {
    const over = checkBudget(def.variants.find((v) => v.id === id)?.apply(scenario) ?? scenario, budgetBytes, 0);
    if (over.length) return over;
  }
  return [];
}

/** Run the scenario once per variant (each applied to the mechanism's first entry), to the end. */
export function compareVariants(scenario: Scenario, mechanism: string, variants: string[]): CompareEntry[] {
  const def = mechanismById(mechanism);
  if (!def) return [];
  return variants.flatMap((id) => {
    const variant = def.variants.find((v) => v.id === id);
    if (!variant) return [];
    const run = new ScenarioRun(variant.apply(scenario) as Scenario).runToEnd();
    const summary = run.summary();
    run.dispose();
    return [{ variant: id, label: variant.label, summary }];
  });
}
