import {
  barFlags,
  barOffset,
  barSizingReadback,
  capabilities,
  decodeBar,
  msixTableSize,
  PCI_CAP_ID_MSIX,
  PCI_CLASS_REVISION,
  PCI_COMMAND,
  PCI_COMMAND_MASTER,
  PCI_COMMAND_MEMORY,
  PCI_DEVICE_ID,
  PCI_MSIX_FLAGS,
  PCI_MSIX_FLAGS_ENABLE,
  PCI_VENDOR_ID,
  readConfig,
  sizeFromReadback,
} from '../hw/pciConfig';
import type { Lesson, LessonContext } from '../lesson';
import type { MigrationMetrics } from '../migration/metrics';
import type { MigrationConfig } from '../migration/schema';
import { sectionOf } from '../scenario/fields';
import { buildPhysicalDevice, CATALOGUE, hostBarAddresses } from './catalogue';
import type { DeviceMetrics } from './metrics';
import { buildPolicy } from './policy';
import type { DeviceConfig } from './schema';

// ---- reading the run --------------------------------------------------------------------------

const devices = (ctx: LessonContext) => (ctx.metrics.passthrough ?? []) as DeviceMetrics[];
const device = (ctx: LessonContext, id?: string) => {
  const all = devices(ctx);
  return (id ? all.find((d) => d.id === id) : all.find((d) => d.vm !== '')) ?? all[0];
};
const migration = (ctx: LessonContext) => ctx.metrics.migration?.[0] as MigrationMetrics;
/** The first migration, with the field this lab adds to it. */
const migrationConfig = (ctx: LessonContext) =>
  sectionOf<MigrationConfig & { passthrough?: string }>(ctx.scenario, 'migrations')[0];
const model = (d: DeviceMetrics) => CATALOGUE[d.model as keyof typeof CATALOGUE];

/** A config space from the metrics' hex string (two digits per byte). */
function bytes(hexString: string): Uint8Array {
  const out = new Uint8Array(hexString.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hexString.slice(2 * i, 2 * i + 2), 16);
  return out;
}
const phys = (d: DeviceMetrics) => bytes(d.physicalConfig);
const virt = (d: DeviceMetrics) => bytes(d.virtualConfig);
const dword = (cfg: Uint8Array, at: number) => readConfig(cfg, at, 4);
const word = (cfg: Uint8Array, at: number) => readConfig(cfg, at, 2);

/**
 * Where the host put this device's BARs: the slot the mechanism gives it (its host's index times
 * three plus its place among that host's devices, mod 7, as in PassthroughMechanism's constructor).
 */
function hostBars(ctx: LessonContext, d: DeviceMetrics): number[] {
  const configs = sectionOf<DeviceConfig>(ctx.scenario, 'devices');
  const k = configs.filter((c) => c.host === d.host).findIndex((c) => c.id === d.id);
  const h = ctx.scenario.hosts.findIndex((host) => host.id === d.host);
  return hostBarAddresses(model(d), (3 * h + k) % 7);
}

/** Every BAR of the model as the physical space and the copy decode it. */
function barPairs(ctx: LessonContext, d: DeviceMetrics) {
  const p = phys(d);
  const v = virt(d);
  const host = hostBars(ctx, d);
  return model(d).bars.map((b) => ({
    index: b.index,
    guest: decodeBar(v, b.index).address,
    hardware: decodeBar(p, b.index).address,
    host: host[b.index],
  }));
}
const guestBarsApart = (ctx: LessonContext, d: DeviceMetrics) =>
  barPairs(ctx, d).every((b) => b.guest !== b.hardware && b.hardware === b.host);

function msixAt(cfg: Uint8Array): number {
  return capabilities(cfg).find((c) => c.id === PCI_CAP_ID_MSIX)?.offset ?? 0;
}
const msixOn = (cfg: Uint8Array) => {
  const at = msixAt(cfg);
  return at > 0 && (word(cfg, at + PCI_MSIX_FLAGS) & PCI_MSIX_FLAGS_ENABLE) !== 0;
};

const hex = (n: number, digits = 8) => `0x${(n >>> 0).toString(16).toUpperCase().padStart(digits, '0')}`;
const hex4 = (n: number) => hex(n, 4);
const reg = (offset: number) => `0x${offset.toString(16).padStart(3, '0')}`;
const int = (n: number) => Math.round(n).toLocaleString('en-US');
const size = (n: number) => (n >= 1 << 20 ? `${n / (1 << 20)} MiB` : n >= 1024 ? `${n / 1024} KiB` : `${n} bytes`);
const CLASS_NAMES: Record<number, string> = { 1: 'a storage controller', 2: 'a network controller', 3: 'a display' };

/** The header the probe identifies the device by: vendor, device, class (bytes 0-3, 9-11). */
function ids(cfg: Uint8Array) {
  return {
    vendor: word(cfg, PCI_VENDOR_ID),
    device: word(cfg, PCI_DEVICE_ID),
    classCode: dword(cfg, PCI_CLASS_REVISION) >>> 8,
  };
}
function sameIds(d: DeviceMetrics): boolean {
  const p = ids(phys(d));
  const v = ids(virt(d));
  const m = model(d);
  return v.vendor === p.vendor && v.device === p.device && v.classCode === p.classCode && v.vendor === m.vendor;
}

const BAR0 = barOffset(0);
/** The 82574L's MSI-X message control, where the lessons' NIC keeps its enable bit. */
const E1000E_MSIX_FLAGS = msixAt(buildPhysicalDevice('e1000e', 0).cfg) + PCI_MSIX_FLAGS;
const bar0 = (d: DeviceMetrics) => model(d).bars.find((b) => b.index === 0) ?? model(d).bars[0];
const bar0Flags = (d: DeviceMetrics) => barFlags(bar0(d).kind, bar0(d).prefetchable);

/** The stretch of I/O on the emulated fallback, and the passthrough one before it. */
const segment = (d: DeviceMetrics, strategy: string) => d.segments.find((s) => s.strategy === strategy);
const perOp = (s: { ios: number; exits: number } | undefined) => (s && s.ios > 0 ? s.exits / s.ios : 0);

/** Every byte vfio virtualizes is the same in the two copies (the spare's policy, built from its own space). */
function virtualizedBytesEqual(to: DeviceMetrics, from: DeviceMetrics): boolean {
  const mask = buildPolicy(phys(to)).policy.virt;
  const a = virt(to);
  const b = virt(from);
  for (let i = 0; i < a.length; i++) if ((a[i] & mask[i]) !== (b[i] & mask[i])) return false;
  return true;
}

// ---- the lessons --------------------------------------------------------------------------------

export const PASSTHROUGH_LESSONS: Lesson[] = [
  {
    id: 'probe-through-the-copy',
    title: 'The probe through a copied config space',
    preset: 'passthrough-probe',
    steps: [
      {
        caption: (ctx) =>
          `${device(ctx).vm}'s driver is about to probe ${device(ctx).id}, an ${model(device(ctx)).name}. vfio copied the NIC's config space for the guest; register by register, a guest access is virtualized (it goes to the copy) or passed through (to the hardware).`,
        highlight: { kind: 'register', target: reg(PCI_VENDOR_ID) },
        claim: (ctx) => {
          const p = phys(device(ctx));
          const v = virt(device(ctx));
          return device(ctx).configReads === 0 && p.subarray(0, 0x40).every((b, i) => b === v[i]);
        },
      },
      {
        waitFor: { mechanism: 'passthrough', kind: 'config-write' },
        caption: (ctx) => {
          const v = ids(virt(device(ctx)));
          return `In ${device(ctx).configReads} reads the driver found vendor ${hex4(v.vendor)}, device ${hex4(v.device)}, class ${hex(v.classCode, 6)} (${CLASS_NAMES[v.classCode >>> 16] ?? 'a device'}). These bytes are copied, read-only: the copy holds the hardware's own IDs. Now it turns decoding off and writes all ones to BAR0 to learn its size.`;
        },
        highlight: { kind: 'register', target: reg(PCI_VENDOR_ID) },
        claim: (ctx) => device(ctx).configReads >= 4 && device(ctx).configWrites === 1 && sameIds(device(ctx)),
        question: {
          prompt: 'The driver writes all ones to BAR0. What will it read back?',
          choices: [
            'all ones, what it wrote',
            "the host's address of BAR0",
            'the size mask ~(size − 1) with the flag bits',
          ],
          answer: (ctx) => {
            const d = device(ctx);
            const v = dword(virt(d), BAR0);
            if (v === 0xffffffff) return 0;
            if (v === dword(phys(d), BAR0)) return 1;
            return 2;
          },
        },
      },
      {
        waitFor: { mechanism: 'passthrough', kind: 'config-write' },
        caption: (ctx) => {
          const d = device(ctx);
          const v = dword(virt(d), BAR0);
          return `The copy answers ${hex(v)}, ~(size − 1) | flags: clear the flags, invert, add one, and BAR0 is ${size(sizeFromReadback(v))}. Its bytes are virtualized: the write stayed in the copy, and the NIC's own BAR0 still holds the host's ${hex(dword(phys(d), BAR0))}.`;
        },
        highlight: { kind: 'register', target: reg(BAR0) },
        claim: (ctx) => {
          const d = device(ctx);
          const v = dword(virt(d), BAR0);
          return (
            v === barSizingReadback(bar0(d).size, bar0Flags(d)) &&
            sizeFromReadback(v) === bar0(d).size &&
            decodeBar(phys(d), 0).address === hostBars(ctx, d)[0]
          );
        },
      },
      {
        waitFor: { mechanism: 'passthrough', kind: 'config-write' },
        caption: (ctx) => {
          const d = device(ctx);
          return `The driver places BAR0 at guest-physical ${hex(decodeBar(virt(d), 0).address)}, again only in the copy: the hardware still decodes ${hex(decodeBar(phys(d), 0).address)}. The hypervisor maps the one onto the other.`;
        },
        highlight: { kind: 'register', target: reg(BAR0) },
        claim: (ctx) => {
          const d = device(ctx);
          const guest = decodeBar(virt(d), 0).address;
          return (
            guest !== 0 &&
            guest !== decodeBar(phys(d), 0).address &&
            decodeBar(phys(d), 0).address === hostBars(ctx, d)[0]
          );
        },
        question: {
          prompt:
            "Later the driver sets 'memory space' and 'bus master' in the command register. Where do those bits land?",
          choices: ['only in the copy', 'in the hardware too', 'nowhere: the write is dropped'],
          answer: (ctx) => {
            const enables = PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;
            if ((word(phys(device(ctx)), PCI_COMMAND) & enables) === enables) return 1;
            return (word(virt(device(ctx)), PCI_COMMAND) & PCI_COMMAND_MEMORY) !== 0 ? 0 : 2;
          },
        },
      },
      {
        waitFor: { mechanism: 'run', kind: 'phase' },
        caption: (ctx) => {
          const d = device(ctx);
          return `Probe done: ${d.writesToVirtual} of ${d.configWrites} config writes stayed in the copy and ${d.writesToHardware} were passed through to the NIC, the command register's enables among them (the NIC's command now reads ${hex4(word(phys(d), PCI_COMMAND))}). A NIC that may not master the bus could not DMA, so those bits must be real.`;
        },
        highlight: { kind: 'register', target: reg(PCI_COMMAND) },
        claim: (ctx) => {
          const d = device(ctx);
          const enables = PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;
          return (
            d.stage === 'io' &&
            d.writesToHardware > 0 &&
            d.writesToHardware < d.writesToVirtual &&
            (word(phys(d), PCI_COMMAND) & enables) === enables
          );
        },
      },
      {
        caption: (ctx) => {
          const d = device(ctx);
          const pairs = barPairs(ctx, d);
          const vectors = msixTableSize(word(virt(d), msixAt(virt(d)) + PCI_MSIX_FLAGS));
          return `Compare the spaces: the guest's BARs (${pairs.map((b) => `BAR${b.index} ${hex(b.guest)}`).join(', ')}) never reached the NIC, which decodes ${pairs.map((b) => hex(b.hardware)).join(', ')}. MSI-X is on in both: the guest enabled it in the copy, the host on the NIC after programming its ${vectors} vectors with its own interrupt addresses.`;
        },
        highlight: { kind: 'register', target: reg(E1000E_MSIX_FLAGS) },
        claim: (ctx) => {
          const d = device(ctx);
          const vectors = msixTableSize(word(virt(d), msixAt(virt(d)) + PCI_MSIX_FLAGS));
          return guestBarsApart(ctx, d) && msixOn(virt(d)) && msixOn(phys(d)) && vectors === model(d).msix.vectors;
        },
      },
      {
        waitFor: 'end',
        caption: (ctx) => {
          const d = device(ctx);
          return `In ${ctx.scenario.durationMs} ms the NIC moved ${int(d.ios)} packets by DMA at ${d.exitsPerIo} exits each, and every one of the ${d.configReads} probe reads matched vfio's formula. Once the probe is over, the copy is out of the data path.`;
        },
        highlight: { kind: 'metric', target: 'exits per I/O' },
        claim: (ctx) => {
          const d = device(ctx);
          return d.ios > 0 && d.exitsPerIo === 0 && d.verified && guestBarsApart(ctx, d);
        },
      },
    ],
  },
  {
    id: 'why-migration-is-refused',
    title: 'Why migration is refused',
    preset: 'passthrough-migration-refused',
    steps: [
      {
        caption: (ctx) => {
          const d = device(ctx);
          return `${d.vm} runs with ${d.id} handed over by passthrough. At ${migrationConfig(ctx).atMs} ms the scenario live-migrates it to ${migrationConfig(ctx).to}, where a free ${d.model} waits.`;
        },
        highlight: { kind: 'metric', target: 'migration' },
        claim: (ctx) => {
          const d = device(ctx);
          const spare = devices(ctx).find((s) => s.host === migrationConfig(ctx).to && s.model === d.model);
          return d.strategy === 'passthrough' && d.vm === migrationConfig(ctx).vm && spare?.vm === '';
        },
        question: {
          prompt: 'Will the migration start?',
          choices: ['yes: pre-copy starts sending pages', 'no: it is refused'],
          answer: (ctx) => (migration(ctx).status === 'refused' ? 1 : 0),
        },
      },
      {
        waitFor: { mechanism: 'run', kind: 'event', type: 'mig.start' },
        caption: (ctx) =>
          `Refused at ${Number((ctx.timeNs / 1e6).toFixed(3))} ms, before one byte moved: ${migration(ctx).note.split(':')[0]}. Its DMA bypasses the dirty log, its state is opaque and ${migration(ctx).vm}'s memory is pinned for it.`,
        highlight: { kind: 'metric', target: 'migration' },
        claim: (ctx) =>
          migration(ctx).status === 'refused' &&
          migration(ctx).note.includes(device(ctx).id) &&
          migration(ctx).transferredBytes === 0,
      },
      {
        waitFor: 'end',
        caption: (ctx) =>
          `${migration(ctx).vm} stayed on ${device(ctx).host} and ${device(ctx).id} carried ${int(device(ctx).ios)} operations at ${perOp(segment(device(ctx), 'passthrough'))} exits each throughout.`,
        highlight: { kind: 'metric', target: 'segments' },
        claim: (ctx) =>
          migration(ctx).status === 'refused' &&
          device(ctx).vm === migration(ctx).vm &&
          device(ctx).segments.length === 1 &&
          device(ctx).ios > 0,
      },
      {
        preset: 'passthrough-migration-detach',
        caption: (ctx) =>
          `The same VM with passthrough: ${migrationConfig(ctx).passthrough}: ${device(ctx).id} is hot-unplugged as the migration starts and re-attached on ${migrationConfig(ctx).to} afterwards.`,
        highlight: { kind: 'metric', target: 'segments' },
        question: {
          prompt: "While the NIC is unplugged, what happens to the guest's network I/O?",
          choices: [
            'it stops',
            'it goes on through an emulated NIC, with exits',
            'it goes on as before, without exits',
          ],
          answer: (ctx) => {
            const fallback = segment(device(ctx, 'nic0'), 'emulated');
            if (!fallback || fallback.ios === 0) return 0;
            return fallback.exits > 0 ? 1 : 2;
          },
        },
      },
      {
        waitFor: { mechanism: 'migration', kind: 'round', round: 1 },
        caption: (ctx) => {
          const d = device(ctx, 'nic0');
          const fallback = segment(d, 'emulated');
          return `Mid-migration: the guest's I/O runs on an emulated NIC, ${int(fallback?.ios ?? 0)} operations so far at ${perOp(fallback).toFixed(1)} exits each, against ${perOp(segment(d, 'passthrough'))} on the real one. More exits, but an emulated device's state moves with the VM.`;
        },
        highlight: { kind: 'metric', target: 'segments' },
        claim: (ctx) => {
          const d = device(ctx, 'nic0');
          const fallback = segment(d, 'emulated');
          return (
            migration(ctx).status === 'active' &&
            d.stage === 'detached' &&
            fallback !== undefined &&
            fallback.ios > 0 &&
            perOp(fallback) > perOp(segment(d, 'passthrough'))
          );
        },
      },
      {
        waitFor: { mechanism: 'run', kind: 'phase' },
        caption: (ctx) => {
          const to = devices(ctx).find((d) => d.restoredFrom !== '') ?? device(ctx);
          const from = device(ctx, to.restoredFrom);
          const pairs = barPairs(ctx, to);
          return `${migration(ctx).vm} arrived in ${migration(ctx).totalTimeMs.toFixed(1)} ms and ${to.id} took over, its virtual config restored from ${from.id}'s copy: the guest still sees BAR0 at ${hex(pairs[0].guest)}, though ${to.id} sits at ${hex(pairs[0].hardware)} where ${from.id} sat at ${hex(decodeBar(phys(from), 0).address)}. This restore is our reading of the copied config space, not the patent's claim.`;
        },
        highlight: { kind: 'register', target: reg(BAR0) },
        claim: (ctx) => {
          const to = devices(ctx).find((d) => d.restoredFrom !== '');
          if (!to) return false;
          const from = device(ctx, to.restoredFrom);
          const moved = model(to).bars.every(
            (b) => decodeBar(phys(to), b.index).address !== decodeBar(phys(from), b.index).address,
          );
          return (
            migration(ctx).status === 'completed' &&
            migration(ctx).verified &&
            to.host === migrationConfig(ctx).to &&
            virtualizedBytesEqual(to, from) &&
            guestBarsApart(ctx, to) &&
            moved &&
            msixOn(phys(to))
          );
        },
      },
      {
        waitFor: 'end',
        caption: (ctx) => {
          const to = devices(ctx).find((d) => d.restoredFrom !== '') ?? device(ctx);
          return `Back on passthrough: ${to.id} carried ${int(to.ios)} more operations at ${to.exitsPerIo} exits each, and every DMA landed byte for byte in ${to.vm}'s memory on ${to.host}.`;
        },
        highlight: { kind: 'metric', target: 'segments' },
        claim: (ctx) => {
          const to = devices(ctx).find((d) => d.restoredFrom !== '');
          return to !== undefined && to.ios > 0 && to.dmaBytes > 0 && to.exitsPerIo === 0 && to.verified;
        },
      },
    ],
  },
];
