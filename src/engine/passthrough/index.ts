import { defineMechanism } from '../mechanismDefinition';
import { sectionOf, type WorldScenario } from '../scenario/fields';
import { PASSTHROUGH_BREAKPOINTS } from './breakpoints';
import { inspectRegister } from './inspect';
import { PASSTHROUGH_LESSONS } from './lessons';
import { PassthroughMechanism } from './mechanism';
import { deviceMetrics } from './metrics';
import { PASSTHROUGH_PRESETS } from './presets';
import { PASSTHROUGH_REPORT } from './report';
import { checkDevices, type DeviceConfig, DeviceSchema, MigrationPassthroughSchema } from './schema';
import { passthroughView } from './view';

export { CATALOGUE } from './catalogue';
export { PassthroughMechanism } from './mechanism';
export type { DeviceMetrics } from './metrics';
export { BYTE_CLASS_INFO, ByteClass, type DeviceView, type PassthroughView } from './view';

/** Direct access to a hardware device (US9122594B2, US20140013010A1, US20160188505A1): a virtual config space copied from the physical one. */
export const passthrough = defineMechanism({
  id: 'passthrough',
  label: 'Device passthrough',
  key: 'devices',
  schema: DeviceSchema,
  extends: { migrations: { passthrough: MigrationPassthroughSchema } },
  crossCheck: (s) => checkDevices(s, devicesOf(s)),
  install: (world) => new PassthroughMechanism(world),
  metrics: (mechanism, now) => mechanism.runs.map((r) => deviceMetrics(r, now)),
  view: (mechanism) => passthroughView(mechanism),
  transferables: (view) =>
    view.devices.flatMap((d) => [
      d.physical.buffer,
      d.physicalAtStart.buffer,
      d.virtual.buffer,
      d.guest.buffer,
      d.classes.buffer,
    ]) as ArrayBuffer[],
  eventPrefixes: ['config.', 'dma.', 'pt.'],
  subjectOf: (mechanism, event) => {
    const run = mechanism.runs[event.dev as number];
    return run ? mechanism.subject(run) : '';
  },
  breakpoints: PASSTHROUGH_BREAKPOINTS,
  variants: [
    { id: 'emulated', label: 'emulated device', apply: (s) => withFirst(s, { strategy: 'emulated', trap: false }) },
    {
      id: 'passthrough-trap',
      label: 'passthrough, trap',
      apply: (s) => withFirst(s, { strategy: 'passthrough', trap: true }),
    },
    {
      id: 'passthrough-direct',
      label: 'passthrough, non-trap',
      apply: (s) => withFirst(s, { strategy: 'passthrough', trap: false }),
    },
  ],
  presets: PASSTHROUGH_PRESETS,
  lessons: PASSTHROUGH_LESSONS,
  report: PASSTHROUGH_REPORT,
  inspect: (mechanism, query) => inspectRegister(mechanism, query),
});

function devicesOf(s: WorldScenario): DeviceConfig[] {
  return sectionOf<DeviceConfig>(s, 'devices');
}

/** The first device that is given to a VM, switched to a strategy. */
function withFirst(s: WorldScenario, patch: Partial<DeviceConfig>): WorldScenario {
  const devices = devicesOf(s);
  const i = Math.max(
    0,
    devices.findIndex((d) => d.vm !== undefined),
  );
  return { ...s, devices: devices.map((d, k) => (k === i ? { ...d, ...patch } : d)) };
}
