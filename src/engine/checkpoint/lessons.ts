import { first, type Lesson, type LessonContext } from '../lesson';
import { sectionOf } from '../scenario/fields';
import type { CheckpointMetrics } from './metrics';
import { CHECKPOINT_PRESETS } from './presets';
import type { CheckpointConfig } from './schema';

const m = (ctx: LessonContext) => first<CheckpointMetrics>(ctx, 'checkpoint');
const config = (ctx: LessonContext) => sectionOf<CheckpointConfig>(ctx.scenario, 'checkpoints')[0];
const stunFixedMs = (ctx: LessonContext) => config(ctx).costs.stunUs / 1000;
const int = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => (n >= 100 ? int(n) : n.toFixed(1));
const pct = (n: number) => `${n.toFixed(2)}%`;
const nowMs = (ctx: LessonContext) => ms(ctx.timeNs / 1e6);

/** The epoch length a preset runs, read from the preset so a prompt never disagrees with it. */
function epochOf(presetId: string): number {
  const preset = CHECKPOINT_PRESETS.find((p) => p.id === presetId);
  const epochMs = (preset?.scenario as { checkpoints?: { epochMs: number }[] } | undefined)?.checkpoints?.[0]?.epochMs;
  if (epochMs === undefined) throw new Error(`checkpoint lessons: preset ${presetId} has no epochMs`);
  return epochMs;
}

const SHORT = epochOf('ckpt-epoch-25');
const LONG = epochOf('ckpt-epoch-200');

/**
 * The least share of its time a VM checkpointed every `epochMs` can lose to the fixed part of the stun alone:
 * each epoch of running is followed by at least `stunUs` of pause.
 */
const fixedStunShare = (ctx: LessonContext, epochMs: number) => (100 * stunFixedMs(ctx)) / (epochMs + stunFixedMs(ctx));

export const CHECKPOINT_LESSONS: Lesson[] = [
  {
    id: 'epoch-length',
    title: 'Epoch length against overhead and output delay',
    preset: 'ckpt-epoch-25',
    steps: [
      {
        caption: (ctx) =>
          `Remus protects a ${ctx.scenario.vms[0].memoryMiB} MiB VM with a checkpoint every ${config(ctx).epochMs} ms. Each epoch ends in a stun that copies the pages dirty this epoch, and the responses the VM gave during it are held until the backup has that checkpoint.`,
        highlight: { kind: 'timeline', target: 'epochs' },
      },
      {
        waitFor: { mechanism: 'checkpoint', kind: 'stun' },
        caption: (ctx) =>
          `After the full copy, epoch 1 ends at ${nowMs(ctx)} ms in a stun of ${ms(m(ctx).stunMs.max)} ms: the fixed ${ms(stunFixedMs(ctx))} ms plus copying the pages dirty this epoch. The ${int(m(ctx).packetsHeldNow)} responses of the epoch wait in the output buffer.`,
        highlight: { kind: 'metric', target: 'held now' },
        claim: (ctx) =>
          m(ctx).packetsHeldNow > 0 && m(ctx).packetsReleased === 0 && m(ctx).stunMs.max >= stunFixedMs(ctx),
      },
      {
        waitFor: { mechanism: 'run', kind: 'event', type: 'output.release' },
        caption: (ctx) =>
          `The backup committed checkpoint ${m(ctx).acked} and acknowledged it, and only now are its ${int(m(ctx).packetsReleased)} responses released, after up to ${ms(m(ctx).outputDelayMs.max)} ms: the rest of the epoch, then the checkpoint's trip over the link and the ack.`,
        highlight: { kind: 'metric', target: 'responses released' },
        claim: (ctx) =>
          m(ctx).acked >= 1 &&
          m(ctx).committed >= m(ctx).acked &&
          m(ctx).packetsReleased > 0 &&
          m(ctx).outputDelayMs.max >= config(ctx).epochMs,
      },
      {
        waitFor: 'end',
        caption: (ctx) =>
          `In ${ms(ctx.scenario.durationMs ?? 0)} ms, ${m(ctx).epochs} stuns cost the VM ${pct(m(ctx).slowdownPct)} of its time: the fixed stun alone takes at least ${pct(fixedStunShare(ctx, config(ctx).epochMs))}. Responses waited ${ms(m(ctx).outputDelayMs.p50)} ms at the median, ${ms(m(ctx).outputDelayMs.p99)} ms at p99.`,
        highlight: { kind: 'metric', target: 'slowdown' },
        claim: (ctx) =>
          m(ctx).slowdownPct >= fixedStunShare(ctx, config(ctx).epochMs) &&
          m(ctx).outputDelayMs.p50 <= config(ctx).epochMs &&
          m(ctx).outputDelayMs.p99 >= config(ctx).epochMs,
        question: {
          prompt: `With ${LONG} ms epochs (xl remus's default), what happens to the slowdown?`,
          choices: ['it falls', 'about the same', 'it rises'],
          // Compared with the least any run at the short epochs can lose, which the step before checked.
          answer: (ctx) => {
            const ratio = m(ctx).slowdownPct / fixedStunShare(ctx, SHORT);
            return ratio < 0.8 ? 0 : ratio <= 1.2 ? 1 : 2;
          },
        },
      },
      {
        preset: 'ckpt-epoch-200',
        waitFor: 'end',
        caption: (ctx) =>
          `It falls: ${m(ctx).epochs} stuns every ${config(ctx).epochMs} ms cost ${pct(m(ctx).slowdownPct)}, below the ${pct(fixedStunShare(ctx, SHORT))} that the fixed stun alone takes at ${SHORT} ms epochs. The price is delay: responses now waited ${ms(m(ctx).outputDelayMs.p50)} ms at the median and ${ms(m(ctx).outputDelayMs.p99)} ms at p99.`,
        highlight: { kind: 'metric', target: 'output delay p50 / p99' },
        claim: (ctx) =>
          // "It falls" is the question's answer: under 0.8 of the least the short epochs cost.
          m(ctx).slowdownPct < 0.8 * fixedStunShare(ctx, SHORT) &&
          m(ctx).outputDelayMs.p50 >= config(ctx).epochMs / 2 &&
          m(ctx).outputDelayMs.p99 >= config(ctx).epochMs,
      },
    ],
  },
  {
    id: 'failover',
    title: 'A failover, with and without output commit',
    preset: 'ckpt-failover',
    steps: [
      {
        caption: (ctx) =>
          `${ctx.scenario.vms[0].id} on ${ctx.scenario.vms[0].host} is checkpointed to ${config(ctx).backup} every ${config(ctx).epochMs} ms. Its host is about to fail in the middle of an epoch.`,
        highlight: { kind: 'timeline', target: 'epochs' },
      },
      {
        waitFor: { mechanism: 'run', kind: 'event', type: 'host.fail' },
        caption: (ctx) =>
          `${ctx.scenario.vms[0].host} fails at ${nowMs(ctx)} ms: host down. Checkpoint ${m(ctx).acked} was the last the backup committed and acknowledged; the ${int(m(ctx).packetsHeldNow)} responses given since are still in the output buffer, seen by no client.`,
        highlight: { kind: 'metric', target: 'held now' },
        claim: (ctx) =>
          m(ctx).status === 'protecting' && m(ctx).acked === m(ctx).committed && m(ctx).packetsHeldNow > 0,
      },
      {
        waitFor: { mechanism: 'checkpoint', kind: 'failover' },
        caption: (ctx) =>
          `After ${config(ctx).heartbeatMisses} missed heartbeats, ${config(ctx).heartbeatMs} ms apart, the VM resumes from checkpoint ${m(ctx).committed} on the backup (running here), ${ms(m(ctx).failoverMs)} ms after the failure. The held responses died with the state that made them: ${int(m(ctx).responsesLostOnFailover)} responses and ${int(m(ctx).lostAckedBytes)} acknowledged bytes lost.`,
        highlight: { kind: 'metric', target: 'responses lost' },
        claim: (ctx) =>
          m(ctx).status === 'failed-over' &&
          m(ctx).verifiedFailover === true &&
          m(ctx).lostAckedBytes === 0 &&
          m(ctx).responsesLostOnFailover === 0 &&
          // Detection counts the misses from the last heartbeat that arrived, up to one interval before the failure.
          m(ctx).failoverMs > (config(ctx).heartbeatMisses - 1) * config(ctx).heartbeatMs,
        question: {
          prompt:
            'Now the same failure with output commit off: responses leave at once. Will clients have seen responses the backup knows nothing of?',
          choices: ['no, none', 'yes, some'],
          answer: (ctx) => (m(ctx).responsesLostOnFailover > 0 ? 1 : 0),
        },
      },
      {
        preset: 'ckpt-failover-no-output-commit',
        waitFor: { mechanism: 'checkpoint', kind: 'failover' },
        caption: (ctx) =>
          `Yes: responses left at once (${ms(m(ctx).outputDelayMs.max)} ms in a buffer), and clients saw ${int(m(ctx).responsesLostOnFailover)} answers from state the backup never received. The VM it resumed from checkpoint ${m(ctx).committed} is byte-exact, yet it has forgotten what it told them.`,
        highlight: { kind: 'metric', target: 'responses lost' },
        claim: (ctx) =>
          m(ctx).status === 'failed-over' &&
          m(ctx).verifiedFailover === true &&
          m(ctx).lostAckedBytes === 0 &&
          m(ctx).outputDelayMs.max === 0 &&
          m(ctx).responsesLostOnFailover > 0,
      },
    ],
  },
];
