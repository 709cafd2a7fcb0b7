import type { Preset } from '../mechanismDefinition';
import type { ScenarioInput } from '../scenario/schema';

/** The VM the comparison presets move: 256 MiB, a hot set written at 32 MiB/s. */
const compareVm: NonNullable<ScenarioInput['vms']>[number] = {
  id: 'vm1',
  host: 'hostA',
  memoryMiB: 256,
  memoryFill: 0.9,
  workload: { kind: 'hotset', dirtyMiBps: 32, hotFraction: 0.08, hotShare: 0.85 },
};

const twoHosts = (bandwidthMiBps = 128, latencyUs = 100): Pick<ScenarioInput, 'hosts' | 'links'> => ({
  hosts: [
    { id: 'hostA', cpus: 16 },
    { id: 'hostB', cpus: 16 },
  ],
  links: [{ a: 'hostA', b: 'hostB', bandwidthMiBps, latencyUs }],
});

export const MIGRATION_PRESETS: Preset[] = [
  {
    id: 'stopcopy-basic',
    title: 'Stop-and-copy',
    teaches:
      'The baseline: the VM is suspended for the whole copy, so downtime is memory size over bandwidth (about 2 s for 256 MiB at 128 MiB/s).',
    lab: 'migration',
    view: 'lab',
    scenario: {
      version: 1,
      seed: 42,
      name: 'Stop-and-copy of a 256 MiB VM',
      ...twoHosts(),
      vms: [
        {
          id: 'vm1',
          host: 'hostA',
          memoryMiB: 256,
          memoryFill: 0.9,
          workload: { kind: 'uniform', dirtyMiBps: 8 },
        },
      ],
      migrations: [{ vm: 'vm1', to: 'hostB', atMs: 20, strategy: 'stopcopy' }],
    },
  },
  {
    id: 'precopy-converges',
    title: 'Pre-copy that converges',
    teaches:
      'Each round resends only what the last one left dirty; with a dirty rate well under the bandwidth the rounds shrink fast and downtime falls to milliseconds.',
    lab: 'migration',
    view: 'lab',
    scenario: {
      version: 1,
      seed: 7,
      name: 'Pre-copy, hot set at 24 MiB/s over 128 MiB/s',
      ...twoHosts(),
      vms: [
        {
          id: 'vm1',
          host: 'hostA',
          memoryMiB: 256,
          memoryFill: 0.85,
          workload: { kind: 'hotset', dirtyMiBps: 24, hotFraction: 0.05, hotShare: 0.9 },
        },
      ],
      migrations: [{ vm: 'vm1', to: 'hostB', atMs: 20, strategy: 'precopy', downtimeLimitMs: 30 }],
    },
  },
  {
    id: 'precopy-no-converge',
    title: 'Pre-copy that never converges',
    teaches:
      'The guest dirties memory faster than the link sends it, so every round is as big as the last: pre-copy hits its round cap and stops the VM with the whole working set to send. (Its dirty-pages-rate counts a page once per round.)',
    lab: 'migration',
    view: 'lab',
    scenario: {
      version: 1,
      seed: 11,
      name: 'Pre-copy, sweep at 160 MiB/s over 128 MiB/s',
      ...twoHosts(),
      vms: [
        {
          id: 'vm1',
          host: 'hostA',
          memoryMiB: 256,
          workload: { kind: 'sweep', dirtyMiBps: 160, workingSetFraction: 0.25 },
        },
      ],
      migrations: [{ vm: 'vm1', to: 'hostB', atMs: 20, strategy: 'precopy', maxRounds: 10 }],
    },
  },
  {
    id: 'precopy-autoconverge',
    title: 'Auto-converge rescues it',
    teaches:
      'The same guest with auto-converge: QEMU throttles the vCPUs (20%, then +10% per trigger) until the dirty rate falls under the bandwidth and pre-copy converges.',
    lab: 'migration',
    view: 'lab',
    scenario: {
      version: 1,
      seed: 11,
      name: 'Pre-copy with auto-converge, sweep at 160 MiB/s over 128 MiB/s',
      ...twoHosts(),
      vms: [
        {
          id: 'vm1',
          host: 'hostA',
          memoryMiB: 256,
          workload: { kind: 'sweep', dirtyMiBps: 160, workingSetFraction: 0.25 },
        },
      ],
      migrations: [{ vm: 'vm1', to: 'hostB', atMs: 20, strategy: 'precopy', maxRounds: 30, autoConverge: true }],
    },
  },
  {
    id: 'postcopy',
    title: 'Post-copy demand paging',
    teaches:
      'The VM moves at once and pulls pages on demand: downtime is only the device state, but every touch of a missing page stalls the vCPU for a round trip.',
    lab: 'migration',
    view: 'lab',
    scenario: {
      version: 1,
      seed: 5,
      name: 'Post-copy of a 256 MiB VM with a hot set',
      ...twoHosts(128, 500),
      vms: [
        {
          id: 'vm1',
          host: 'hostA',
          memoryMiB: 256,
          memoryFill: 0.9,
          workload: { kind: 'hotset', dirtyMiBps: 48, hotFraction: 0.1, hotShare: 0.8 },
        },
      ],
      migrations: [{ vm: 'vm1', to: 'hostB', atMs: 20, strategy: 'postcopy' }],
    },
  },
  {
    id: 'hybrid',
    title: 'Write-protect, then send modified pages',
    teaches:
      "VMware's US10073713B2 variant: one write-protected pass, a short switchover, then only the pages written since they were sent cross the link again; at most twice per page.",
    lab: 'migration',
    view: 'lab',
    scenario: {
      version: 1,
      seed: 5,
      name: 'Hybrid (write-protect) migration of a 256 MiB VM',
      ...twoHosts(128, 500),
      vms: [
        {
          id: 'vm1',
          host: 'hostA',
          memoryMiB: 256,
          memoryFill: 0.9,
          workload: { kind: 'hotset', dirtyMiBps: 48, hotFraction: 0.1, hotShare: 0.8 },
        },
      ],
      migrations: [{ vm: 'vm1', to: 'hostB', atMs: 20, strategy: 'hybrid' }],
    },
  },
  {
    id: 'compare-all',
    title: 'All four compared',
    teaches:
      'The same VM, workload and seed moved four ways: stop-and-copy has the longest downtime, post-copy the shortest but with stalls, pre-copy and hybrid trade bytes for downtime.',
    lab: 'migration',
    view: 'compare',
    compare: ['stopcopy', 'precopy', 'postcopy', 'hybrid'],
    scenario: {
      version: 1,
      seed: 3,
      name: 'Four strategies on one VM',
      ...twoHosts(128, 200),
      vms: [compareVm],
      migrations: [{ vm: 'vm1', to: 'hostB', atMs: 20, strategy: 'precopy' }],
    },
  },
  {
    id: 'xbzrle',
    title: 'XBZRLE on a write-light guest',
    teaches:
      'When the guest changes a few words per page, the pages sent again go as XOR deltas against a page cache: a small fraction of their full size (the metrics show the bytes saved).',
    lab: 'migration',
    view: 'lab',
    scenario: {
      version: 1,
      seed: 9,
      name: 'Pre-copy with XBZRLE, 64-byte writes',
      ...twoHosts(64, 100),
      vms: [
        {
          id: 'vm1',
          host: 'hostA',
          memoryMiB: 256,
          workload: { kind: 'hotset', dirtyMiBps: 48, hotFraction: 0.1, hotShare: 0.9, writeBytes: 64 },
        },
      ],
      migrations: [
        {
          vm: 'vm1',
          to: 'hostB',
          atMs: 20,
          strategy: 'precopy',
          xbzrle: { cacheMiB: 64 },
          downtimeLimitMs: 50,
        },
      ],
    },
  },
  {
    id: 'link-failure',
    title: 'The link fails mid-way',
    teaches:
      "The link fails 1 s in. Stop-and-copy, pre-copy and hybrid (still in its pass) fall back to the source with nothing lost; post-copy has switched over, so the VM's pages are split and it runs nowhere.",
    lab: 'migration',
    view: 'compare',
    compare: ['stopcopy', 'precopy', 'postcopy', 'hybrid'],
    outcome: { status: 'failed', verified: false },
    scenario: {
      version: 1,
      seed: 3,
      name: 'A link failure during migration',
      hosts: twoHosts().hosts,
      links: [{ a: 'hostA', b: 'hostB', bandwidthMiBps: 128, latencyUs: 200, downAtMs: 1000 }],
      vms: [compareVm],
      migrations: [{ vm: 'vm1', to: 'hostB', atMs: 20, strategy: 'postcopy' }],
      durationMs: 1500,
    },
  },
  qemuCapPreset(
    'rounds',
    'Capped pre-copy, textbook rounds',
    "max-bandwidth 32 MiB/s on a fast link, the guest dirtying at half of it. Syncs come only when a pass ends, so each round resends what the last one dirtied until that fits under the 9.6 MiB threshold (300 ms at 32 MiB/s). The 7.5 MiB left would take about 230 ms at the cap (what expected-downtime says), yet the VM is down under 10 ms: at switchover the cap is lifted and the rest crosses at the link's speed. Compare with QEMU's sync loop, the next preset.",
  ),
  qemuCapPreset(
    'qemu',
    "Capped pre-copy, QEMU's sync loop",
    "The same migration as QEMU 7.2 runs it (checked against QEMU itself, docs/qemu-comparison.md): whenever what is dirty falls under the threshold (the last 100 ms window's bandwidth times the downtime limit) it syncs at once and stops the VM if still under it; dirty-sync-count counts those syncs, the first at setup. Downtime is far below the 300 ms the cap suggests because migration_completion lifts the cap.",
  ),
  {
    id: 'pool-backed-migration',
    title: 'A VM with a pool-backed temp disk moves',
    teaches:
      "Across labs: the VM's temporary disk lives in the shared pool file (the elastic pool lab), so with shared storage no disk block crosses the link: only memory does, while its Hadoop job keeps writing to the pool.",
    lab: 'migration',
    view: 'lab',
    scenario: {
      version: 2,
      seed: 21,
      name: 'A Hadoop worker with a pool-backed temporary disk migrates',
      ...twoHosts(),
      vms: [
        {
          id: 'vm1',
          host: 'hostA',
          memoryMiB: 64,
          memoryFill: 0.6,
          diskMiB: 32,
          workload: { kind: 'hotset', dirtyMiBps: 8, hotFraction: 0.1, hotShare: 0.9 },
          // Added by the pool mechanism (`extends.vms`), so not in ScenarioInput's static type.
          ...{
            tempDisk: {
              pool: 'ds1',
              sizeMiB: 64,
              jobs: [{ atMs: 0, kind: 'hadoop', mapOutputMiB: 8, spills: 3, reducers: 2, holdMs: 400 }],
            },
          },
        },
      ],
      pools: [{ id: 'ds1', sizeMiB: 256, strategy: 'pool' }],
      migrations: [{ vm: 'vm1', to: 'hostB', atMs: 100, strategy: 'precopy', storage: 'shared' }],
    },
  },
];

/**
 * The VM of bench/qemu-compare.ts: 128 MiB, half of it swept one word per page at 4000 pages a
 * second, moved under QEMU's max-bandwidth 32 MiB/s and downtime-limit 300 ms over a link as fast
 * as QEMU's loopback is to it.
 */
function qemuCapPreset(syncPolicy: 'rounds' | 'qemu', title: string, teaches: string): Preset {
  return {
    id: `qemu-cap-${syncPolicy}`,
    title,
    teaches,
    lab: 'migration',
    view: 'lab',
    scenario: {
      version: 2,
      seed: 13,
      name: `128 MiB guest sweeping 15.6 MiB/s, max-bandwidth 32 MiB/s, ${syncPolicy === 'qemu' ? "QEMU's sync loop" : 'rounds'}`,
      ...twoHosts(1024, 50),
      vms: [
        {
          id: 'vm1',
          host: 'hostA',
          memoryMiB: 128,
          memoryFill: 0.5,
          diskMiB: 0,
          workload: { kind: 'sweep', dirtyMiBps: (4000 * 4096) / 2 ** 20, workingSetFraction: 0.5, writeBytes: 4 },
        },
      ],
      migrations: [
        {
          vm: 'vm1',
          to: 'hostB',
          atMs: 20,
          strategy: 'precopy',
          bandwidthLimitMiBps: 32,
          downtimeLimitMs: 300,
          syncPolicy,
        },
      ],
    },
  };
}
