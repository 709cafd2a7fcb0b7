import { describe, expect, it } from 'vitest';
import { twoHostScenario } from '../migration/fixtures';
import { ScenarioRun } from '../run';
import { SCENARIO_VERSION } from './schema';
import { formatFieldError, parseScenario, resolveScenario } from './validate';
import { upgradeScenario } from './versions';

/** A version 1 scenario with a capped migration, as written before the cap's meaning changed. */
function cappedV1(strategy: 'stopcopy' | 'precopy' | 'postcopy' | 'hybrid') {
  const input = twoHostScenario({
    memoryMiB: 16,
    memoryFill: 0.6,
    workload: { kind: 'hotset', dirtyMiBps: 6, hotFraction: 0.1, hotShare: 0.8 },
    migration: { strategy, bandwidthLimitMiBps: 24, downtimeLimitMs: 100, precopyPasses: 1 },
    seed: 3,
  });
  return { ...input, version: 1 as const };
}

/** Trace hashes of `cappedV1` runs recorded with the code before version 2 (the cap held through switchover). */
const RECORDED_V1_HASHES = {
  stopcopy: '2b78dc35bc7c30b9',
  precopy: 'f639f2d7c84ed43f',
  postcopy: '23d721e5a1bc426f',
  hybrid: 'ea212ff274e63977',
} as const;

describe('scenario versions', () => {
  it('a version 1 capped migration keeps its cap through switchover; an uncapped one gets nothing', () => {
    const input = cappedV1('precopy');
    const before = JSON.stringify(input);
    const r = upgradeScenario(input);
    if (!r.ok) throw new Error(formatFieldError(r.error));
    expect(JSON.stringify(input)).toBe(before);
    expect(r.value).toMatchObject({ version: SCENARIO_VERSION, migrations: [{ capSwitchover: true }] });
    const plain = upgradeScenario(twoHostScenario());
    expect(plain.ok && (plain.value as { migrations: object[] }).migrations[0]).not.toHaveProperty('capSwitchover');
  });

  it('new scenarios lift the cap at switchover (QEMU) and sync in rounds', () => {
    const s = resolveScenario({ ...cappedV1('precopy'), version: 2 });
    expect(s.migrations[0]).toMatchObject({ bandwidthLimitMiBps: 24, capSwitchover: false, syncPolicy: 'rounds' });
  });

  it.each(Object.entries(RECORDED_V1_HASHES))('a capped version 1 %s replays exactly as before', (strategy, hash) => {
    const run = new ScenarioRun(resolveScenario(cappedV1(strategy as keyof typeof RECORDED_V1_HASHES))).runToEnd();
    expect(run.summary().traceHash).toBe(hash);
    run.dispose();
  });

  it('refuses versions it does not know, naming the ones it reads', () => {
    for (const version of [0, 3, 1.5]) {
      const r = parseScenario({ ...twoHostScenario(), version });
      expect(r.ok ? [] : r.errors.map(formatFieldError)).toEqual([
        `version: scenario version ${version} is not supported; this vmlab reads versions 1 to 2`,
      ]);
    }
    const text = parseScenario({ ...twoHostScenario(), version: '2' });
    expect(text.ok ? [] : text.errors.map(formatFieldError)).toEqual(['version: must be one of 1, 2']);
  });
});
