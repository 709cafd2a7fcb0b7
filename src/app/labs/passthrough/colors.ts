import { ByteClass } from '../../../engine/passthrough/view';

/** One colour per policy class of a config byte (legend in ConfigDump). */
export const CLASS_COLORS: Record<number, string> = {
  [ByteClass.unassigned]: '#9ca3af',
  [ByteClass.copied]: '#7c3aed',
  [ByteClass.virtualized]: '#2563eb',
  [ByteClass.passedThrough]: '#16a34a',
  [ByteClass.readOnly]: '#6b7280',
  [ByteClass.mixed]: '#d97706',
  [ByteClass.emulated]: '#0891b2',
  [ByteClass.physical]: '#dc2626',
};

export const PATH_LABELS: Record<string, string> = {
  virtual: 'trapped → the virtual copy',
  hardware: 'trapped → the hardware',
  dropped: 'trapped → dropped (no writable bits)',
  emulated: 'trapped → the software device',
  trapped: 'MMIO trapped → the VMM’s MSI-X table',
};
