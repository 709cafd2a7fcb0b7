import { SCENARIO_VERSION } from './schema';
import type { FieldError } from './validate';

/** The oldest scenario version this vmlab still reads (and upgrades). */
export const OLDEST_SCENARIO_VERSION = 1;

type Fields = Record<string, unknown>;

/** UPGRADES[v] turns a scenario of version v into one of version v + 1 that runs the same. */
const UPGRADES: Record<number, (s: Fields) => Fields> = {
  1: keepCapThroughSwitchover,
};

/**
 * Version 1 to 2: `bandwidthLimitMiBps` capped every byte of a migration, the part sent with the
 * VM stopped included; from version 2 it caps only the live phase, as QEMU's max-bandwidth does.
 * Each capped migration gets `capSwitchover: true`, the old meaning, so it replays as before.
 */
function keepCapThroughSwitchover(s: Fields): Fields {
  const migrations = s.migrations;
  if (!Array.isArray(migrations)) return { ...s, version: 2 };
  return {
    ...s,
    version: 2,
    migrations: migrations.map((m) =>
      isFields(m) && m.bandwidthLimitMiBps !== undefined ? { ...m, capSwitchover: true } : m,
    ),
  };
}

/**
 * Bring a scenario of any version this vmlab reads up to SCENARIO_VERSION (a new object; the
 * input is not changed). Anything that is not a scenario with a numeric version passes through
 * for the schema to name what is wrong with it.
 */
export function upgradeScenario(input: unknown): { ok: true; value: unknown } | { ok: false; error: FieldError } {
  if (!isFields(input) || typeof input.version !== 'number') return { ok: true, value: input };
  const from = input.version;
  if (!Number.isInteger(from) || from < OLDEST_SCENARIO_VERSION || from > SCENARIO_VERSION) {
    return {
      ok: false,
      error: {
        path: 'version',
        message: `scenario version ${from} is not supported; this vmlab reads versions ${OLDEST_SCENARIO_VERSION} to ${SCENARIO_VERSION}`,
      },
    };
  }
  let value = input;
  for (let v = from; v < SCENARIO_VERSION; v++) value = UPGRADES[v](value);
  return { ok: true, value };
}

function isFields(x: unknown): x is Fields {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
