import type { Scenario } from '../../../engine/scenario/schema';
import { useStore } from '../../store/store';
import { loadScenario } from '../../store/workerClient';

/**
 * "Fail the primary now": the failure becomes `hosts[].failAtMs` in the scenario (the next whole
 * millisecond after now), reloaded at the current position, so a shared link reproduces it.
 */
export function FailButton({
  host,
  nowNs,
  eventIndex,
  disabled,
}: {
  host: string;
  nowNs: number;
  eventIndex: number;
  disabled: boolean;
}) {
  const scenario = useStore((s) => s.scenario);
  const fail = () => {
    if (!scenario) return;
    const failAtMs = Math.floor(nowNs / 1e6) + 1;
    const next = structuredClone(scenario) as Scenario & { hosts: { id: string; failAtMs?: number }[] };
    next.hosts = next.hosts.map((h) => (h.id === host ? { ...h, failAtMs } : h));
    loadScenario(next, eventIndex);
  };
  return (
    <button
      type="button"
      className="ck-fail"
      data-testid="fail-primary"
      onClick={fail}
      disabled={disabled || !scenario}
    >
      Fail the primary ({host}) now
    </button>
  );
}
