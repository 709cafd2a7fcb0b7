import { hex, readConfig, registerAt } from '../hw/pciConfig';
import type { Inspection, InspectionLine, InspectQuery } from '../mechanismDefinition';
import type { PassthroughMechanism } from './mechanism';
import { expectedGuestRead } from './verify';
import { BYTE_CLASS_INFO, byteClasses } from './view';

/** A config register someone clicked: its name, the policy's bits, both values, the probe's accesses to it. */
export function inspectRegister(m: PassthroughMechanism, q: InspectQuery): Inspection | undefined {
  const run = m.runs[q.entry];
  if (!run || q.item !== 'register' || !Number.isInteger(q.index) || q.index < 0 || q.index >= run.vconfig.length)
    return undefined;
  const reg = registerAt(run.usesCopy ? run.vconfig : run.phys.cfg, q.index);
  const size = (reg.size === 3 ? 4 : reg.size) as 1 | 2 | 4;
  const at = reg.size === 3 ? reg.offset - 1 : reg.offset;
  const digits = size * 2;
  const cls = BYTE_CLASS_INFO.find((c) => c.id === byteClasses(run)[q.index]);
  const lines: InspectionLine[] = [
    { label: 'register', value: `${reg.name} at 0x${hex(at, 3)} (${size} byte${size > 1 ? 's' : ''})` },
    { label: 'policy', value: cls ? `${cls.name}: ${cls.meaning}` : 'unknown' },
    {
      label: 'physical',
      value: `0x${hex(readConfig(run.phys.cfg, at, size), digits)} (host set 0x${hex(readConfig(run.physAtStart, at, size), digits)})`,
    },
    { label: 'virtual copy', value: `0x${hex(readConfig(run.vconfig, at, size), digits)}` },
    { label: 'guest reads', value: `0x${hex(expectedGuestRead(run, at, size), digits)}` },
  ];
  if (run.config.strategy === 'passthrough') {
    lines.push(
      { label: 'virt bits', value: `0x${hex(readConfig(run.policy.virt, at, size), digits)}` },
      { label: 'write bits', value: `0x${hex(readConfig(run.policy.write, at, size), digits)}` },
    );
  }
  const seen = m.probeAt[run.index] ?? new Int32Array(0);
  run.probe.steps.forEach((st, k) => {
    if (st.kind === 'mmio' || st.offset + st.size <= at || st.offset >= at + size || k >= seen.length || seen[k] < 0)
      return;
    lines.push({
      label: `probe ${st.kind}`,
      value: `0x${hex(st.value, st.size * 2)}${st.path ? ` → ${st.path}` : ''} (${st.note})`,
      eventIndex: seen[k],
    });
  });
  return { title: `${run.id}: ${reg.name}`, lines };
}
