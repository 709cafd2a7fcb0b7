import type { CheckpointStrategy } from '.';
import { encodeRaw } from './encode';

/** Remus without compression: whole dirty pages, copied to a staging buffer during the stun, sent after resume. */
export const remus: CheckpointStrategy = {
  label: 'Remus (whole pages)',
  encode: (_run, batch) => encodeRaw(batch),
  sendsEarly: () => false,
  usesFeedback: () => false,
};
