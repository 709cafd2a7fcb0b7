import type { Preset } from '../mechanismDefinition';

const oneHost = { hosts: [{ id: 'hostA', cpus: 8 }] };
const twoHosts = {
  hosts: [
    { id: 'hostA', cpus: 8 },
    { id: 'hostB', cpus: 8 },
  ],
  links: [{ a: 'hostA', b: 'hostB', bandwidthMiBps: 128, latencyUs: 100 }],
};
const smallVm = (id: string, host = 'hostA', memoryMiB = 32) => ({
  id,
  host,
  memoryMiB,
  diskMiB: 0,
  workload: { kind: 'hotset' as const, dirtyMiBps: 4, hotFraction: 0.1 },
});

export const PASSTHROUGH_PRESETS: Preset[] = [
  {
    id: 'passthrough-probe',
    title: 'Probe an 82574L through the virtual copy',
    teaches:
      "The guest driver sizes and programs the NIC's BARs in vfio's copy of its config space (0xFFFE0000 for the 128 KiB BAR0, 0xFFFFFFE1 for the 32-byte I/O BAR) while the host's BARs never move; only the command register's enables reach the hardware.",
    lab: 'passthrough',
    view: 'lab',
    scenario: {
      version: 1,
      seed: 13,
      name: 'e1000e given to vm1 by passthrough (non-trap)',
      ...oneHost,
      vms: [smallVm('vm1')],
      devices: [{ id: 'nic0', host: 'hostA', model: 'e1000e', vm: 'vm1', strategy: 'passthrough' }],
      durationMs: 10,
    },
  },
  {
    id: 'passthrough-compare',
    title: 'Emulated, trap and non-trap side by side',
    teaches:
      'The same NIC, driver and traffic three ways: the emulated device exits on every MMIO access and per interrupt, trap mode exits on every MMIO access for the address translation, non-trap mode never exits on the data path.',
    lab: 'passthrough',
    view: 'compare',
    compare: ['emulated', 'passthrough-trap', 'passthrough-direct'],
    scenario: {
      version: 1,
      seed: 13,
      name: 'One NIC, three ways',
      ...oneHost,
      vms: [smallVm('vm1')],
      devices: [{ id: 'nic0', host: 'hostA', model: 'e1000e', vm: 'vm1', strategy: 'passthrough' }],
      durationMs: 20,
    },
  },
  {
    id: 'passthrough-nvme-hidden',
    title: 'NVMe: capabilities vfio hides',
    teaches:
      'vfio copies only the capabilities it knows a length for: the SSD’s Secondary PCIe and L1 PM Substates extended capabilities are unlinked from the copy’s list, so the guest walks past them.',
    lab: 'passthrough',
    view: 'lab',
    scenario: {
      version: 1,
      seed: 21,
      name: 'A 970 EVO Plus given to vm1',
      ...oneHost,
      vms: [smallVm('vm1')],
      devices: [
        {
          id: 'ssd0',
          host: 'hostA',
          model: 'nvme',
          vm: 'vm1',
          strategy: 'passthrough',
          io: { opsPerSec: 50_000, bytesPerOp: 4096 },
        },
      ],
      durationMs: 5,
    },
  },
  {
    id: 'passthrough-gpu-trap',
    title: 'GPU in trap mode: a 64-bit prefetchable BAR',
    teaches:
      'A 256 MiB 64-bit prefetchable BAR takes two slots and two sizing reads (0xFFFFFFFF high, 0xF000000C low); in trap mode each doorbell write exits so the hypervisor can swap the guest-physical address for the machine address.',
    lab: 'passthrough',
    view: 'lab',
    scenario: {
      version: 1,
      seed: 5,
      name: 'A Tesla T4 in trap mode',
      ...oneHost,
      vms: [smallVm('vm1')],
      devices: [
        {
          id: 'gpu0',
          host: 'hostA',
          model: 'gpu',
          vm: 'vm1',
          strategy: 'passthrough',
          trap: true,
          io: { opsPerSec: 20_000, bytesPerOp: 65_536 },
        },
      ],
      durationMs: 5,
    },
  },
  {
    id: 'passthrough-unsafe-no-iommu',
    title: 'Direct, no IOMMU: DMA into another VM',
    teaches:
      "Handed the physical device itself, the guest moves the host's BARs, and without an IOMMU the device takes guest-physical addresses as host addresses: its DMA overwrites vm2's memory.",
    lab: 'passthrough',
    view: 'lab',
    scenario: {
      version: 1,
      seed: 3,
      name: 'Direct (unsafe) NIC without an IOMMU',
      ...oneHost,
      vms: [smallVm('vm2'), smallVm('vm1')],
      devices: [{ id: 'nic0', host: 'hostA', model: 'e1000e', vm: 'vm1', strategy: 'direct-unsafe', iommu: false }],
      durationMs: 5,
    },
  },
  {
    id: 'passthrough-unsafe-iommu',
    title: 'Direct, IOMMU on: every DMA blocked',
    teaches:
      'The same raw hand-over with the IOMMU on: nobody mapped the VM’s memory for the device, so every DMA is blocked and counted, and the NIC moves no data.',
    lab: 'passthrough',
    view: 'lab',
    scenario: {
      version: 1,
      seed: 3,
      name: 'Direct (unsafe) NIC behind the IOMMU',
      ...oneHost,
      vms: [smallVm('vm2'), smallVm('vm1')],
      devices: [{ id: 'nic0', host: 'hostA', model: 'e1000e', vm: 'vm1', strategy: 'direct-unsafe', iommu: true }],
      durationMs: 5,
    },
  },
  {
    id: 'passthrough-migration-refused',
    title: 'Migration refused: a VFIO device',
    teaches:
      "A VM with a passthrough NIC cannot live-migrate: the device's state is opaque, its DMA bypasses the dirty log and its memory is pinned, so the migration is refused when it would start (QEMU: VFIO device doesn't support migration).",
    lab: 'passthrough',
    view: 'lab',
    outcome: { status: 'refused', verified: true },
    scenario: {
      version: 1,
      seed: 8,
      name: 'Migrating a VM with a passthrough NIC',
      ...twoHosts,
      vms: [smallVm('vm1')],
      devices: [
        { id: 'nic0', host: 'hostA', model: 'e1000e', vm: 'vm1', strategy: 'passthrough' },
        { id: 'nic1', host: 'hostB', model: 'e1000e' },
      ],
      migrations: [{ vm: 'vm1', to: 'hostB', atMs: 2 }],
      durationMs: 10,
    },
  },
  {
    id: 'passthrough-migration-detach',
    title: 'Detach, migrate, attach with the copy restored',
    teaches:
      'With passthrough: detach the NIC is hot-unplugged (I/O falls back to an emulated device at 3 exits per operation), the VM migrates byte-equal, and the spare NIC on hostB is attached with the virtual config restored from the copy: same guest BARs, other host addresses.',
    lab: 'passthrough',
    view: 'lab',
    scenario: {
      version: 1,
      seed: 8,
      name: 'Detach, migrate, re-attach',
      ...twoHosts,
      vms: [smallVm('vm1')],
      devices: [
        { id: 'nic0', host: 'hostA', model: 'e1000e', vm: 'vm1', strategy: 'passthrough' },
        { id: 'nic1', host: 'hostB', model: 'e1000e' },
      ],
      migrations: [{ vm: 'vm1', to: 'hostB', atMs: 2, passthrough: 'detach' }],
      durationMs: 400,
    },
  },
];
