import type { DeviceRun } from './model';

/**
 * The policy's formula, computed byte by byte from the three arrays (independently of the
 * access code): what a guest read of `size` bytes at `offset` must return.
 */
export function expectedGuestRead(run: DeviceRun, offset: number, size: number): number {
  let value = 0;
  for (let i = size - 1; i >= 0; i--) {
    const at = offset + i;
    let byte: number;
    if (run.config.strategy === 'passthrough') {
      const virt = run.policy.virt[at];
      byte = (run.phys.cfg[at] & ~virt) | (run.vconfig[at] & virt);
    } else if (run.config.strategy === 'emulated') byte = run.vconfig[at];
    else byte = run.phys.cfg[at];
    value = value * 256 + (byte & 0xff);
  }
  return value;
}

/**
 * After a guest write: bits of the physical space that changed although neither the policy
 * (writable and not virtualized) nor the silicon (writable) let them, plus `hostBits` the host
 * itself set on the guest's behalf (MSI-X enable through VFIO_DEVICE_SET_IRQS).
 */
export function illegalPhysicalChange(
  run: DeviceRun,
  before: Uint8Array,
  offset: number,
  size: number,
  hostBits: Uint8Array,
): number {
  let bad = 0;
  for (let at = 0; at < before.length; at++) {
    const changed = before[at] ^ run.phys.cfg[at];
    if (!changed) continue;
    const inAccess = at >= offset && at < offset + size;
    let allowed = hostBits[at];
    if (inAccess && run.config.strategy === 'passthrough')
      allowed |= run.policy.write[at] & ~run.policy.virt[at] & run.phys.hwMask[at];
    if (inAccess && run.config.strategy === 'direct-unsafe') allowed |= run.phys.hwMask[at];
    if (changed & ~allowed) bad++;
  }
  return bad;
}

/** Why a device's run is not verified, or '' when it is. */
export function verificationFailure(run: DeviceRun): string {
  const s = run.s;
  const why: string[] = [];
  if (s.readMismatches) why.push(`${s.readMismatches} guest reads did not match the policy`);
  if (s.illegalPhysicalChanges)
    why.push(`${s.illegalPhysicalChanges} physical bytes changed outside the writable, non-virtualized bits`);
  if (s.hostBarsMoved)
    why.push(`the guest reprogrammed ${s.hostBarsMoved} of the host's physical BARs, moving the host's device`);
  if (s.strayDmaBytes)
    why.push(`${s.strayDmaBytes} bytes of DMA landed in ${s.strayTarget}, memory that is not the VM's`);
  if (s.dmaMismatches) why.push(`${s.dmaMismatches} DMA buffers did not hold the bytes the device wrote`);
  return why.join('; ');
}
