import type { ScenarioInput } from '../engine/scenario/schema';
import { Session } from './session';

/** A session of a scenario the test knows is valid. */
export function openSession(input: ScenarioInput): Session {
  const r = Session.load(input);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.session;
}
