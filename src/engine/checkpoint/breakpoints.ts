import type { BreakpointDefinition, StepContext } from '../mechanismDefinition';
import type { CheckpointMechanism } from './mechanism';

const onEvent = (type: string, why: (ctx: StepContext) => string) => ({
  check: (ctx: StepContext) => (ctx.event.type === type ? why(ctx) : undefined),
});

/** Where a checkpointing run can stop by itself while playing. */
export const CHECKPOINT_BREAKPOINTS: BreakpointDefinition<CheckpointMechanism>[] = [
  {
    kind: 'stun',
    label: 'on a stun',
    watch: () => onEvent('checkpoint.stun', ({ event }) => `checkpoint ${event.epoch}: the primary is stunned`),
  },
  {
    kind: 'ack',
    label: 'on an acknowledgement',
    watch: () => onEvent('checkpoint.ack', ({ event }) => `checkpoint ${event.epoch} acknowledged`),
  },
  {
    kind: 'failover',
    label: 'on failover',
    watch: () => onEvent('checkpoint.failover', () => 'the backup took over'),
  },
];
