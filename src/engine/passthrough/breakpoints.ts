import type { BreakpointDefinition, StepContext } from '../mechanismDefinition';
import type { PassthroughMechanism } from './mechanism';

const onEvent = (
  kind: string,
  label: string,
  test: (ctx: StepContext) => string | undefined,
): BreakpointDefinition<PassthroughMechanism> => ({ kind, label, watch: () => ({ check: test }) });

const hex = (v: unknown, digits = 3) => `0x${Number(v).toString(16).padStart(digits, '0')}`;

/** Where the passthrough lab can stop by itself while playing. */
export const PASSTHROUGH_BREAKPOINTS: BreakpointDefinition<PassthroughMechanism>[] = [
  onEvent('config-write', 'on a config write', ({ event }) =>
    event.type === 'config.write'
      ? `config write of ${hex(event.value, 2)} to ${hex(event.offset)} went to ${event.path}`
      : undefined,
  ),
  onEvent('dropped-write', 'on a dropped write', ({ event }) =>
    event.type === 'config.write' && event.path === 'dropped'
      ? `config write to ${hex(event.offset)} dropped by the policy`
      : undefined,
  ),
  onEvent('iommu-block', 'on an IOMMU block', ({ event }) =>
    event.type === 'dma.blocked' ? `the IOMMU blocked a DMA to ${hex(event.iova, 8)}` : undefined,
  ),
];
