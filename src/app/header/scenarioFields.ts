import { MigrationStrategySchema } from '../../engine/migration/schema';
import { STRATEGY_LABELS } from '../../engine/migration/strategies';
import { formatPath } from '../../engine/scenario/validate';

/** A field the editor's form offers beside the JSON, where the scenario has it. */
export interface FormField {
  path: readonly (string | number)[];
  label: string;
  unit?: string;
  /** A choice among these values; a number otherwise. */
  options?: readonly { value: string; label: string }[];
}

/**
 * The fields people change most (issue 8): the shared ones every scenario has, then each lab's.
 * A lab adds its own here; the form shows a field only when the scenario holds its path.
 */
export const COMMON_FIELDS: readonly FormField[] = [
  {
    path: ['migrations', 0, 'strategy'],
    label: 'strategy',
    options: MigrationStrategySchema.options.map((s) => ({ value: s, label: STRATEGY_LABELS[s] })),
  },
  { path: ['vms', 0, 'workload', 'dirtyMiBps'], label: 'dirty rate', unit: 'MiB/s' },
  { path: ['links', 0, 'bandwidthMiBps'], label: 'bandwidth', unit: 'MiB/s' },
  { path: ['migrations', 0, 'downtimeLimitMs'], label: 'downtime limit', unit: 'ms' },
  { path: ['vms', 0, 'memoryMiB'], label: 'memory', unit: 'MiB' },
];

export function fieldId(f: FormField): string {
  return formatPath(f.path);
}

export function getAt(json: unknown, path: readonly (string | number)[]): unknown {
  let at = json;
  for (const key of path) {
    if (typeof at !== 'object' || at === null) return undefined;
    at = (at as Record<string | number, unknown>)[key];
  }
  return at;
}

/** A copy of `json` with the value at `path` (which exists) replaced. */
export function setAt(json: unknown, path: readonly (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [key, ...rest] = path;
  const copy = Array.isArray(json) ? [...json] : { ...(json as Record<string, unknown>) };
  (copy as Record<string | number, unknown>)[key] = setAt((copy as Record<string | number, unknown>)[key], rest, value);
  return copy;
}
