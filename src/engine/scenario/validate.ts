import type { z } from 'zod';
import { allMechanisms } from '../mechanisms';
import { LIMITS } from './limits';
import { type Scenario, ScenarioSchema } from './schema';
import { checkParsedData } from './untrusted';
import { upgradeScenario } from './versions';

export interface FieldError {
  /** Where the problem is, as a path a person can find: `vms[0].memoryMiB`. */
  path: string;
  message: string;
}

export type ParseResult = { ok: true; scenario: Scenario } | { ok: false; errors: FieldError[] };

export class ScenarioError extends Error {
  constructor(readonly errors: FieldError[]) {
    super(errors.map(formatFieldError).join('\n'));
    this.name = 'ScenarioError';
  }
}

export function formatFieldError(e: FieldError): string {
  return e.path ? `${e.path}: ${e.message}` : e.message;
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

/** Validate anything (parsed JSON, a preset) into a resolved scenario with every default filled in. */
export function parseScenario(input: unknown): ParseResult {
  // Input bounds first: no prototype keys, no nesting or lists past what a scenario holds.
  const bound = checkParsedData(input);
  if (bound) return { ok: false, errors: [bound] };
  // Older versions are upgraded to this one, keeping what their fields meant.
  const upgraded = upgradeScenario(input);
  if (!upgraded.ok) return { ok: false, errors: [upgraded.error] };
  const parsed = ScenarioSchema.safeParse(upgraded.value);
  if (!parsed.success) return { ok: false, errors: parsed.error.issues.map(issueToFieldError) };
  const errors = crossCheck(parsed.data);
  return errors.length ? { ok: false, errors } : { ok: true, scenario: parsed.data };
}

export function resolveScenario(input: unknown): Scenario {
  const r = parseScenario(input);
  if (!r.ok) throw new ScenarioError(r.errors);
  return r.scenario;
}

/** zod's issues in words a person reads: what the field must be, not how the checker saw it. */
function issueToFieldError(issue: z.core.$ZodIssue): FieldError {
  const path = formatPath(issue.path);
  return { path, message: issueMessage(issue, path) };
}

const TYPE_NAMES: Record<string, string> = {
  number: 'a number',
  int: 'a whole number',
  string: 'text',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
};

function issueMessage(issue: z.core.$ZodIssue, path: string): string {
  switch (issue.code) {
    case 'unrecognized_keys': {
      const keys = issue.keys;
      return `unknown ${keys.length > 1 ? 'fields' : 'field'} ${keys.map((k) => `"${k}"`).join(', ')}`;
    }
    case 'invalid_type': {
      if (issue.message.endsWith('received undefined')) return 'is required';
      const what = TYPE_NAMES[issue.expected] ?? issue.expected;
      return path ? `must be ${what}` : `a scenario must be ${what} (JSON in braces)`;
    }
    case 'too_small': {
      const n = Number(issue.minimum);
      if (issue.origin === 'array') return `needs at least ${n} ${n === 1 ? 'item' : 'items'}`;
      if (issue.origin === 'string') return n === 1 ? 'must not be empty' : `needs at least ${n} characters`;
      return issue.inclusive === false ? `must be more than ${n}` : `must be at least ${n}`;
    }
    case 'too_big': {
      const n = Number(issue.maximum);
      if (issue.origin === 'array') return `may have at most ${n} ${n === 1 ? 'item' : 'items'}`;
      if (issue.origin === 'string') return `may have at most ${n} characters`;
      return issue.inclusive === false ? `must be less than ${n}` : `must be at most ${n}`;
    }
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return issue.message;
  }
}

/** Rules that span fields: references between ids, the memory limit, then each mechanism's own. */
function crossCheck(s: Scenario): FieldError[] {
  const errors: FieldError[] = [];
  const hostIds = new Set<string>();
  s.hosts.forEach((h, i) => {
    if (hostIds.has(h.id)) errors.push({ path: `hosts[${i}].id`, message: `duplicate host id "${h.id}"` });
    hostIds.add(h.id);
  });
  const knownHost = (path: string, hostId: string) => {
    if (!hostIds.has(hostId)) errors.push({ path, message: `no host with id "${hostId}"` });
  };
  s.links.forEach((l, i) => {
    knownHost(`links[${i}].a`, l.a);
    knownHost(`links[${i}].b`, l.b);
    if (l.a === l.b) errors.push({ path: `links[${i}].b`, message: 'a link joins two different hosts' });
  });
  const vmIds = new Set<string>();
  let totalMiB = 0;
  s.vms.forEach((vm, i) => {
    if (vmIds.has(vm.id)) errors.push({ path: `vms[${i}].id`, message: `duplicate VM id "${vm.id}"` });
    vmIds.add(vm.id);
    knownHost(`vms[${i}].host`, vm.host);
    totalMiB += vm.memoryMiB + vm.diskMiB;
  });
  if (totalMiB > LIMITS.totalMemoryMiB) {
    errors.push({
      path: 'vms',
      message: `VM memory and disks add up to ${totalMiB} MiB; the limit is ${LIMITS.totalMemoryMiB} MiB`,
    });
  }
  for (const def of allMechanisms()) errors.push(...(def.crossCheck?.(s) ?? []));
  return errors;
}
