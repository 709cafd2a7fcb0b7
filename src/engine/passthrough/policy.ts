import {
  capabilities,
  extCapabilities,
  msiCapLength,
  PCI_BASE_ADDRESS_0,
  PCI_BIST,
  PCI_CACHE_LINE_SIZE,
  PCI_CAP_EXP_ENDPOINT_SIZEOF_V1,
  PCI_CAP_EXP_ENDPOINT_SIZEOF_V2,
  PCI_CAP_ID_EXP,
  PCI_CAP_ID_MSI,
  PCI_CAP_ID_MSIX,
  PCI_CAP_ID_PM,
  PCI_CAP_ID_VNDR,
  PCI_CAP_MSIX_SIZEOF,
  PCI_CAP_SIZEOF,
  PCI_CAPABILITY_LIST,
  PCI_CFG_SPACE_SIZE,
  PCI_COMMAND,
  PCI_COMMAND_INTX_DISABLE,
  PCI_DEVICE_ID,
  PCI_ERR_CAP,
  PCI_ERR_COR_MASK,
  PCI_ERR_COR_STATUS,
  PCI_ERR_ROOT_COMMAND,
  PCI_ERR_UNCOR_MASK,
  PCI_ERR_UNCOR_SEVER,
  PCI_ERR_UNCOR_STATUS,
  PCI_EXP_DEVCTL,
  PCI_EXP_DEVCTL_BCR_FLR,
  PCI_EXP_DEVCTL_PAYLOAD,
  PCI_EXP_DEVCTL_PHANTOM,
  PCI_EXP_DEVCTL_READRQ,
  PCI_EXP_DEVCTL2,
  PCI_EXP_DEVCTL2_ARI,
  PCI_EXT_CAP_DSN_SIZEOF,
  PCI_EXT_CAP_ID_DSN,
  PCI_EXT_CAP_ID_ERR,
  PCI_EXT_CAP_ID_LTR,
  PCI_EXT_CAP_ID_PWR,
  PCI_EXT_CAP_ID_VNDR,
  PCI_EXT_CAP_LTR_SIZEOF,
  PCI_EXT_CAP_PWR_SIZEOF,
  PCI_INTERRUPT_LINE,
  PCI_INTERRUPT_PIN,
  PCI_LATENCY_TIMER,
  PCI_MSI_ADDRESS_HI,
  PCI_MSI_ADDRESS_LO,
  PCI_MSI_DATA_32,
  PCI_MSI_DATA_64,
  PCI_MSI_FLAGS,
  PCI_MSI_FLAGS_64BIT,
  PCI_MSI_FLAGS_MASKBIT,
  PCI_MSI_MASK_32,
  PCI_MSI_MASK_64,
  PCI_MSI_PENDING_32,
  PCI_MSI_PENDING_64,
  PCI_MSIX_FLAGS,
  PCI_MSIX_FLAGS_ENABLE,
  PCI_MSIX_FLAGS_MASKALL,
  PCI_PM_CAP_PME_MASK,
  PCI_PM_CTRL,
  PCI_PM_CTRL_PME_ENABLE,
  PCI_PM_CTRL_PME_STATUS,
  PCI_PM_CTRL_STATE_MASK,
  PCI_PM_PMC,
  PCI_ROM_ADDRESS,
  PCI_STATUS,
  PCI_STATUS_CAP_LIST,
  PCI_STD_HEADER_SIZEOF,
  PCI_VENDOR_ID,
  readConfig,
  writeConfig,
} from '../hw/pciConfig';

/**
 * Linux vfio-pci's config-space policy [drivers/vfio/pci/vfio_pci_config.c], byte for byte:
 * `virt` bits are served from (and written to) the virtual copy, `write` bits may be written;
 * a read returns (phys & ~virt) | (vconfig & virt); a write puts (write & virt) bits in the copy,
 * (write & ~virt) bits in the hardware, and drops the rest.
 */
export interface Policy {
  virt: Uint8Array;
  write: Uint8Array;
  /** Which capability owns each byte (CAP_BASIC for the header, CAP_UNASSIGNED between capabilities). */
  map: Uint8Array;
  /** Standard and extended capabilities the copy hides (unlinked from its list). */
  hidden: { id: number; offset: number; extended: boolean }[];
  /** Standard capabilities kept, with their lengths (vfio's pci_cap_length / vfio_cap_len). */
  kept: { id: number; offset: number; length: number; extended: boolean }[];
}

/** vfio's fake capability ID for the standard header. */
export const CAP_BASIC = 0;
/** vfio's PCI_CAP_ID_INVALID: bytes no capability claims (raw read-write, like vfio's unassigned_perms). */
export const CAP_UNASSIGNED = 0xff;
/** Marks extended capability bytes in `map` (their IDs share the byte with standard ones). */
export const EXT_FLAG = 0x80;

const ALL = 0xffffffff;

function setPerm(p: Policy, offset: number, size: 1 | 2 | 4, virt: number, write: number): void {
  writeConfig(p.virt, offset, size, virt);
  writeConfig(p.write, offset, size, write);
}

/** vfio_cap_len for the capabilities it knows; 0 hides the capability. */
function capLength(cfg: Uint8Array, id: number, pos: number): number {
  const flags = readConfig(cfg, pos + 2, 2);
  switch (id) {
    case PCI_CAP_ID_PM:
      return 8;
    case PCI_CAP_ID_MSI:
      return msiCapLength(flags);
    case PCI_CAP_ID_MSIX:
      return PCI_CAP_MSIX_SIZEOF;
    case PCI_CAP_ID_EXP:
      return (flags & 0xf) === 1 ? PCI_CAP_EXP_ENDPOINT_SIZEOF_V1 : PCI_CAP_EXP_ENDPOINT_SIZEOF_V2;
    case PCI_CAP_ID_VNDR:
      return cfg[pos + 2];
    default:
      return 0;
  }
}

/** pci_ext_cap_length for those in the catalogue; 0 (unlisted) hides it. */
function extCapLength(cfg: Uint8Array, id: number, pos: number): number {
  switch (id) {
    case PCI_EXT_CAP_ID_ERR:
      return PCI_ERR_ROOT_COMMAND;
    case PCI_EXT_CAP_ID_DSN:
      return PCI_EXT_CAP_DSN_SIZEOF;
    case PCI_EXT_CAP_ID_PWR:
      return PCI_EXT_CAP_PWR_SIZEOF;
    case PCI_EXT_CAP_ID_LTR:
      return PCI_EXT_CAP_LTR_SIZEOF;
    case PCI_EXT_CAP_ID_VNDR:
      return readConfig(cfg, pos + 4, 4) >>> 20;
    default:
      return 0;
  }
}

/**
 * vfio_config_init: copy the header and every capability vfio knows into the virtual copy,
 * unlink the ones it does not, and give every byte its permission bits.
 */
export function buildPolicy(phys: Uint8Array): { policy: Policy; vconfig: Uint8Array } {
  const size = phys.length;
  const vconfig = new Uint8Array(size);
  const p: Policy = {
    virt: new Uint8Array(size),
    write: new Uint8Array(size),
    map: new Uint8Array(size).fill(CAP_UNASSIGNED),
    hidden: [],
    kept: [],
  };
  // Unassigned bytes: raw read and write to the hardware (vfio's unassigned_perms).
  p.write.fill(0xff);
  p.map.fill(CAP_BASIC, 0, PCI_STD_HEADER_SIZEOF);
  vconfig.set(phys.subarray(0, PCI_STD_HEADER_SIZEOF));
  basicPerms(p);

  let prev = PCI_CAPABILITY_LIST;
  let kept = 0;
  for (const cap of capabilities(phys)) {
    const len = capLength(phys, cap.id, cap.offset);
    if (len === 0) {
      vconfig[prev] = cap.next;
      p.hidden.push({ id: cap.id, offset: cap.offset, extended: false });
      continue;
    }
    p.map.fill(cap.id, cap.offset, cap.offset + len);
    vconfig.set(phys.subarray(cap.offset, cap.offset + len), cap.offset);
    capPerms(p, phys, cap.id, cap.offset, len);
    if (cap.id === PCI_CAP_ID_PM) {
      // vfio_update_pm_vconfig_bytes: the guest cannot take PME, so the copy says it has none.
      const pmc = readConfig(vconfig, cap.offset + PCI_PM_PMC, 2);
      writeConfig(vconfig, cap.offset + PCI_PM_PMC, 2, pmc & ~PCI_PM_CAP_PME_MASK);
      const ctrl = readConfig(vconfig, cap.offset + PCI_PM_CTRL, 2);
      writeConfig(vconfig, cap.offset + PCI_PM_CTRL, 2, ctrl & ~(PCI_PM_CTRL_PME_ENABLE | PCI_PM_CTRL_PME_STATUS));
    }
    p.kept.push({ id: cap.id, offset: cap.offset, length: len, extended: false });
    prev = cap.offset + 1;
    kept++;
  }
  if (kept === 0) writeConfig(vconfig, PCI_STATUS, 2, readConfig(vconfig, PCI_STATUS, 2) & ~PCI_STATUS_CAP_LIST);

  if (size > PCI_CFG_SPACE_SIZE) extPerms(p, phys, vconfig);
  return { policy: p, vconfig };
}

/** init_pci_cap_basic_perm. */
function basicPerms(p: Policy): void {
  setPerm(p, 0, 4, 0, 0);
  p.write.fill(0, 0, PCI_STD_HEADER_SIZEOF);
  setPerm(p, PCI_VENDOR_ID, 2, 0xffff, 0);
  setPerm(p, PCI_DEVICE_ID, 2, 0xffff, 0);
  setPerm(p, PCI_COMMAND, 2, PCI_COMMAND_INTX_DISABLE, 0xffff);
  setPerm(p, PCI_STATUS, 2, PCI_STATUS_CAP_LIST, 0);
  setPerm(p, PCI_CACHE_LINE_SIZE, 1, 0, 0xff);
  setPerm(p, PCI_LATENCY_TIMER, 1, 0, 0xff);
  setPerm(p, PCI_BIST, 1, 0, 0xff);
  for (let i = 0; i < 6; i++) setPerm(p, PCI_BASE_ADDRESS_0 + 4 * i, 4, ALL, ALL);
  setPerm(p, PCI_ROM_ADDRESS, 4, ALL, ALL);
  setPerm(p, PCI_CAPABILITY_LIST, 1, 0xff, 0);
  setPerm(p, PCI_INTERRUPT_LINE, 1, 0xff, 0xff);
  setPerm(p, PCI_INTERRUPT_PIN, 1, 0xff, 0);
}

function capPerms(p: Policy, phys: Uint8Array, id: number, pos: number, len: number): void {
  // Capability regions default to read-only, not virtualized (vfio's cap_perms with direct reads),
  // except the ID and next pointer, which always come from the copy so the list can be rewritten.
  p.write.fill(0, pos, pos + len);
  setPerm(p, pos, 2, 0xffff, 0);
  if (id === PCI_CAP_ID_PM) {
    setPerm(p, pos + PCI_PM_PMC, 2, PCI_PM_CAP_PME_MASK, 0);
    setPerm(
      p,
      pos + PCI_PM_CTRL,
      4,
      PCI_PM_CTRL_PME_ENABLE | PCI_PM_CTRL_PME_STATUS,
      ~(PCI_PM_CTRL_PME_ENABLE | PCI_PM_CTRL_PME_STATUS | PCI_PM_CTRL_STATE_MASK) >>> 0,
    );
  } else if (id === PCI_CAP_ID_MSI) {
    const flags = readConfig(phys, pos + PCI_MSI_FLAGS, 2);
    setPerm(p, pos + PCI_MSI_FLAGS, 1, 0xff, 0xff);
    setPerm(p, pos + PCI_MSI_ADDRESS_LO, 4, ALL, ALL);
    if (flags & PCI_MSI_FLAGS_64BIT) {
      setPerm(p, pos + PCI_MSI_ADDRESS_HI, 4, ALL, ALL);
      setPerm(p, pos + PCI_MSI_DATA_64, 2, 0xffff, 0xffff);
      if (flags & PCI_MSI_FLAGS_MASKBIT) {
        setPerm(p, pos + PCI_MSI_MASK_64, 4, 0, ALL);
        setPerm(p, pos + PCI_MSI_PENDING_64, 4, 0, ALL);
      }
    } else {
      setPerm(p, pos + PCI_MSI_DATA_32, 2, 0xffff, 0xffff);
      if (flags & PCI_MSI_FLAGS_MASKBIT) {
        setPerm(p, pos + PCI_MSI_MASK_32, 4, 0, ALL);
        setPerm(p, pos + PCI_MSI_PENDING_32, 4, 0, ALL);
      }
    }
  } else if (id === PCI_CAP_ID_MSIX) {
    // vfio-pci drops writes here; the VMM (QEMU) emulates MSI-X enable and mask-all and turns them
    // into VFIO_DEVICE_SET_IRQS, so the guest's control bits live in the copy.
    setPerm(
      p,
      pos + PCI_MSIX_FLAGS,
      2,
      PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL,
      PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL,
    );
  } else if (id === PCI_CAP_ID_EXP) {
    setPerm(
      p,
      pos + PCI_EXP_DEVCTL,
      2,
      PCI_EXP_DEVCTL_BCR_FLR | PCI_EXP_DEVCTL_PAYLOAD | PCI_EXP_DEVCTL_READRQ,
      ~PCI_EXP_DEVCTL_PHANTOM & 0xffff,
    );
    if (len > PCI_EXP_DEVCTL2) setPerm(p, pos + PCI_EXP_DEVCTL2, 2, 0, ~PCI_EXP_DEVCTL2_ARI & 0xffff);
  }
}

/** vfio_ecap_init: copy known extended capabilities, unlink the rest; their headers are virtualized. */
function extPerms(p: Policy, phys: Uint8Array, vconfig: Uint8Array): void {
  let prev = -1;
  let kept = 0;
  for (const cap of extCapabilities(phys)) {
    let len = extCapLength(phys, cap.id, cap.offset);
    let hidden = false;
    if (len === 0) {
      p.hidden.push({ id: cap.id, offset: cap.offset, extended: true });
      if (prev >= 0) {
        const h = readConfig(vconfig, prev, 4);
        writeConfig(vconfig, prev, 4, ((h & ~(0xffc << 20)) | (cap.next << 20)) >>> 0);
        continue;
      }
      // The first one anchors the list: a placeholder with ID and version zeroed.
      len = PCI_CAP_SIZEOF;
      hidden = true;
    }
    p.map.fill(cap.id | EXT_FLAG, cap.offset, cap.offset + len);
    vconfig.set(phys.subarray(cap.offset, cap.offset + len), cap.offset);
    p.write.fill(0, cap.offset, cap.offset + len);
    setPerm(p, cap.offset, 4, ALL, 0);
    if (hidden) writeConfig(vconfig, cap.offset, 4, (readConfig(vconfig, cap.offset, 4) & (0xffc << 20)) >>> 0);
    else {
      kept++;
      p.kept.push({ id: cap.id, offset: cap.offset, length: len, extended: true });
    }
    if (cap.id === PCI_EXT_CAP_ID_ERR) {
      const unc = 0x03fff031;
      setPerm(p, cap.offset + PCI_ERR_UNCOR_STATUS, 4, 0, unc);
      setPerm(p, cap.offset + PCI_ERR_UNCOR_MASK, 4, 0, unc);
      setPerm(p, cap.offset + PCI_ERR_UNCOR_SEVER, 4, 0, unc);
      setPerm(p, cap.offset + PCI_ERR_COR_STATUS, 4, 0, 0xf1c1);
      setPerm(p, cap.offset + PCI_ERR_COR_MASK, 4, 0, 0xf1c1);
      setPerm(p, cap.offset + PCI_ERR_CAP, 4, 0, 0xa0);
    } else if (cap.id === PCI_EXT_CAP_ID_PWR) {
      setPerm(p, cap.offset + 4, 1, 0, 0xff);
    }
    prev = cap.offset;
  }
  if (kept === 0) writeConfig(vconfig, PCI_CFG_SPACE_SIZE, 4, 0);
}
