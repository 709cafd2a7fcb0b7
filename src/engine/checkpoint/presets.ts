import type { Preset } from '../mechanismDefinition';

/**
 * The protected VM of every preset: 64 MiB (small enough to step back quickly), a 16 MiB disk,
 * a hot set; primary on hostA, backup on hostB, over 1 Gbit/s (119 MiB/s, Remus's testbed link).
 */
const vm = (workload: Record<string, unknown> = {}) => ({
  id: 'vm1',
  host: 'hostA',
  memoryMiB: 64,
  memoryFill: 0.9,
  diskMiB: 16,
  diskWriteMiBps: 1,
  workload: { kind: 'hotset', dirtyMiBps: 32, hotFraction: 0.1, hotShare: 0.8, ...workload },
});

const hosts = (failAtMs?: number) => [
  { id: 'hostA', cpus: 16, ...(failAtMs !== undefined ? { failAtMs } : {}) },
  { id: 'hostB', cpus: 16 },
];
const links = [{ a: 'hostA', b: 'hostB', bandwidthMiBps: 119, latencyUs: 100 }];

const epochPreset = (epochMs: number, teaches: string): Preset => ({
  id: `ckpt-epoch-${epochMs}`,
  title: `Epochs of ${epochMs} ms`,
  teaches,
  lab: 'checkpoint',
  view: 'lab',
  scenario: {
    version: 1,
    seed: 21,
    name: `Remus checkpoints every ${epochMs} ms`,
    hosts: hosts(),
    links,
    vms: [vm()],
    checkpoints: [{ vm: 'vm1', backup: 'hostB', strategy: 'remus', epochMs }],
    durationMs: 2500,
  },
});

export const CHECKPOINT_PRESETS: Preset[] = [
  epochPreset(
    25,
    'Forty checkpoints a second (Remus at its fastest): each response waits little more than one epoch, but the fixed 1 ms stun comes forty times a second.',
  ),
  epochPreset(
    50,
    'Twenty checkpoints a second: half the stuns of 25 ms epochs, and responses wait about twice as long in the output buffer.',
  ),
  epochPreset(
    200,
    "xl remus's default: few stuns and the least slowdown, but every response is held for about an epoch, 200 ms, before a client sees it.",
  ),
  {
    id: 'ckpt-delta-write-light',
    title: 'Delta compression on a write-light guest',
    teaches:
      "When the guest changes a few words per page, Xen's delta sends each cached dirty page as a few runs: the same checkpoints cost a fraction of Remus's bytes.",
    lab: 'checkpoint',
    view: 'compare',
    compare: ['remus', 'delta'],
    scenario: {
      version: 1,
      seed: 8,
      name: 'Remus and Xen delta, 64-byte writes',
      hosts: hosts(),
      links,
      vms: [vm({ dirtyMiBps: 64, writeBytes: 64 })],
      checkpoints: [{ vm: 'vm1', backup: 'hostB', strategy: 'delta', epochMs: 50 }],
      durationMs: 2000,
    },
  },
  {
    id: 'ckpt-feedback-hotset',
    title: 'The patent against Remus on a hot set',
    teaches:
      'Pages the history shows are rarely re-dirtied go while the VM runs and small changes go as diffs the backup asked for: the stun handles only the hot pages.',
    lab: 'checkpoint',
    view: 'compare',
    compare: ['remus', 'feedback', 'feedback-no-history', 'feedback-no-diffs'],
    scenario: {
      version: 1,
      seed: 13,
      name: 'Feedback and history against Remus, hot set',
      hosts: hosts(),
      links,
      vms: [vm({ dirtyMiBps: 96, hotFraction: 0.05, hotShare: 0.6, writeBytes: 256 })],
      checkpoints: [{ vm: 'vm1', backup: 'hostB', strategy: 'feedback', epochMs: 50 }],
      durationMs: 2000,
    },
  },
  {
    id: 'ckpt-compare',
    title: 'Remus, delta and feedback compared',
    teaches: 'The same VM, workload and seed protected three ways: bytes per epoch, stun time and what each one saves.',
    lab: 'checkpoint',
    view: 'compare',
    compare: ['remus', 'delta', 'feedback'],
    scenario: {
      version: 1,
      seed: 5,
      name: 'Three checkpointing strategies on one VM',
      hosts: hosts(),
      links,
      vms: [vm({ dirtyMiBps: 48, writeBytes: 512 })],
      checkpoints: [{ vm: 'vm1', backup: 'hostB', strategy: 'remus', epochMs: 50 }],
      durationMs: 2000,
    },
  },
  {
    id: 'ckpt-failover',
    title: 'Failover mid-epoch',
    teaches:
      'The primary fails in the middle of an epoch: the backup notices after three missed heartbeats, drops the partial checkpoint and resumes from the last acknowledged one, and no client has seen a response it lost.',
    lab: 'checkpoint',
    view: 'lab',
    outcome: { status: 'failed-over', verified: true },
    scenario: {
      version: 1,
      seed: 3,
      name: 'The primary fails mid-epoch',
      hosts: hosts(1530),
      links,
      vms: [vm()],
      checkpoints: [{ vm: 'vm1', backup: 'hostB', strategy: 'remus', epochMs: 100 }],
      durationMs: 2200,
    },
  },
  {
    id: 'ckpt-failover-no-output-commit',
    title: 'Failover without output commit',
    teaches:
      'The same failure with responses sent at once: clients have seen answers from state the backup never received, which output commit exists to prevent.',
    lab: 'checkpoint',
    view: 'lab',
    outcome: { status: 'failed-over', verified: true },
    scenario: {
      version: 1,
      seed: 3,
      name: 'The primary fails mid-epoch, no output commit',
      hosts: hosts(1530),
      links,
      vms: [vm()],
      checkpoints: [{ vm: 'vm1', backup: 'hostB', strategy: 'remus', epochMs: 100, outputCommit: false }],
      durationMs: 2200,
    },
  },
];
