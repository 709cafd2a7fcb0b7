import type { Preset } from '../mechanismDefinition';

type Job = { atMs: number; kind?: 'hadoop' | 'write-read-delete'; mapOutputMiB: number; holdMs?: number };

/** Small idle VMs (16 MiB of memory), so 32 of them fit a tab; only their temp disks matter here. */
function vms(count: number, diskMiB: number, jobsOf: (i: number) => Job[], pool = 'ds1') {
  return Array.from({ length: count }, (_, i) => ({
    id: `vm${i + 1}`,
    host: 'host1',
    memoryMiB: 16,
    memoryFill: 0.1,
    diskMiB: 0,
    workload: { kind: 'idle' as const, dirtyMiBps: 0 },
    tempDisk: { pool, sizeMiB: diskMiB, jobs: jobsOf(i) },
  }));
}

const host = { hosts: [{ id: 'host1', cpus: 64 }] };

/** Sizes that vary from VM to VM without randomness: 1 to 4 MiB of map output. */
const smallMiB = (i: number, k: number) => 1 + ((i * 7 + k * 3) % 4);

const burst = {
  version: 1,
  seed: 12,
  name: 'Sixteen Hadoop workers: many small jobs and one big one',
  ...host,
  vms: vms(16, 96, (i) =>
    i === 4
      ? [{ atMs: 40, mapOutputMiB: 36, holdMs: 60 }]
      : [
          { atMs: (i * 13) % 50, mapOutputMiB: smallMiB(i, 0), holdMs: 20 },
          { atMs: 120 + ((i * 17) % 60), mapOutputMiB: smallMiB(i, 1), holdMs: 20 },
        ],
  ),
  pools: [{ id: 'ds1', sizeMiB: 512, strategy: 'pool' }],
};

const fills = (whenFull: 'error' | 'queue', grow: boolean) => ({
  version: 1,
  seed: 5,
  name: `Eight VMs fill a 96 MiB pool (${whenFull}${grow ? ', grown live' : ''})`,
  ...host,
  vms: vms(8, 32, (i) => [{ atMs: i * 4, mapOutputMiB: 12, holdMs: 200 }]),
  pools: [
    {
      id: 'ds1',
      sizeMiB: 96,
      strategy: 'pool',
      whenFull,
      queueTimeoutMs: 400,
      ...(grow ? { growAtMs: 150, growMiB: 64 } : {}),
    },
  ],
});

export const POOL_PRESETS: Preset[] = [
  {
    id: 'pool-burst',
    title: 'Many small jobs and one big one',
    teaches:
      'Fixed 96 MiB disks for 16 VMs need 1.5 GiB, so in a 512 MiB datastore only 5 VMs start; one shared pool carries every job, the big one included, at a fraction of that.',
    lab: 'pool',
    view: 'lab',
    scenario: burst,
  },
  {
    id: 'pool-burst-compare',
    title: 'Fixed disks, thin files and the pool on the same jobs',
    teaches:
      "Same VMs, jobs and seed: fixed disks leave most VMs off; thin files carry every job but keep each VM's peak, as deletes never reach the datastore; the pool reclaims and peaks at about half that.",
    lab: 'pool',
    view: 'compare',
    compare: ['fixed', 'thin-files', 'pool'],
    scenario: { ...burst, name: 'Sixteen Hadoop workers, three ways to give them temp space' },
  },
  {
    id: 'pool-fills',
    title: 'The pool fills: queued writes and a live grow',
    teaches:
      'Eight jobs want up to 24 MiB each and hold 12 MiB for 200 ms in a 96 MiB pool: with whenFull queue the writers wait (as dm-thin does for no_space_timeout) until the operator grows the pool, and nobody fails.',
    lab: 'pool',
    view: 'lab',
    scenario: fills('queue', true),
  },
  {
    id: 'pool-fills-compare',
    title: 'When the pool is full: error against queue',
    teaches:
      'With whenFull error the writing VMs get ENOSPC at once and only their jobs fail; with queue they wait for space freed by others, up to the timeout.',
    lab: 'pool',
    view: 'compare',
    compare: ['pool-error', 'pool-queue'],
    scenario: fills('error', false),
  },
  {
    id: 'pool-reclaim',
    title: 'Reclaim after delete',
    teaches:
      'Each wave of jobs deletes its files and the discards hand whole extents back, so the pool falls to empty between waves and four waves fit where one would with thin files.',
    lab: 'pool',
    view: 'lab',
    compare: ['thin-files', 'pool'],
    scenario: {
      version: 1,
      seed: 3,
      name: 'Four VMs, four waves of jobs, a 40 MiB pool',
      ...host,
      vms: vms(4, 48, (i) =>
        [0, 1, 2, 3].map((w) => ({ atMs: w * 100 + i * 5, mapOutputMiB: 4 + ((i + w) % 3), holdMs: 20 })),
      ),
      pools: [{ id: 'ds1', sizeMiB: 40, strategy: 'pool' }],
    },
  },
  {
    id: 'pool-isolation',
    title: 'Isolation: a reused extent reads as zeros',
    teaches:
      "vm2 gets the extent vm1 just freed, with vm1's bytes still in the pool file; the extent's written-sector mask makes every sector vm2 never wrote read as zeros.",
    lab: 'pool',
    view: 'lab',
    scenario: {
      version: 1,
      seed: 9,
      name: 'Two VMs, one reused 4 MiB extent, no zeroing',
      ...host,
      vms: vms(2, 8, (i) =>
        i === 0
          ? [{ atMs: 0, kind: 'write-read-delete', mapOutputMiB: 4 }]
          : [{ atMs: 20, kind: 'write-read-delete', mapOutputMiB: 1, holdMs: 10 }],
      ),
      pools: [{ id: 'ds1', sizeMiB: 8, extentKiB: 4096, strategy: 'pool', zeroOnAllocate: false }],
    },
  },
];
