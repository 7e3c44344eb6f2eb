import { randomUUID } from 'node:crypto';
import type { CaseEffectParams, Form, NotifyParams } from '../../machines';
import type { Deps } from '../deps';
import { orgTree, type OrgTree } from '../authz';
import { isRunning } from '../deadlines/escalation';
import { extendDeadline } from '../deadlines/plan';
import type { AggregateBase, AggregateType, CaseRecord, DeadlineRecord, DispositionRecord, OutboxRow, ReviewRecord, StoreTx } from '../store/port';
import { nextStepRows, openReviewRow, reviewConcludedRow } from '../queues/rows';
import type { Effect } from './model';
import { notificationsFor } from './notify';
import { registerSplitCase } from '../cases/split';
import { openRectificationFor } from '../rectification';

export interface EffectContext {
  aggregate: AggregateBase;
  type: AggregateType;
  effects: Effect[];
  /** The aggregate's deadlines after the transition (updated in place by extensions). */
  deadlines: DeadlineRecord[];
  now: string;
  /** Who sent the command (a case split off by `splitClue` is registered in his name). */
  actorId?: string;
}

interface PersonInfo {
  personId: string;
  name: string;
  rank?: string;
  orgId?: string;
}

interface DispositionParam {
  personId: string;
  measure: string;
  form: Form;
}

/**
 * Turns the machine's declared effects into rows of the same transaction: outbox rows for what
 * workers do after commit; dispositions, notifications and deadline changes written directly.
 */
export async function applyEffects(tx: StoreTx, deps: Deps, ctx: EffectContext): Promise<OutboxRow[]> {
  const rows: OutboxRow[] = [];
  for (const effect of ctx.effects) {
    const p = (effect.params ?? {}) as Record<string, unknown>;
    switch (effect.type) {
      case 'requestReviews':
        for (const kind of (p.kinds as string[] | undefined) ?? ['primary', 'supervision']) {
          // Ids, and the trigger's commit time for the time-to-open statistics (nothing sensitive).
          rows.push(openReviewRow({ caseId: ctx.aggregate.id, kind, requestedAt: ctx.now }, ctx.now));
        }
        break;
      case 'reviewConcluded':
        rows.push(reviewConcludedRow({ reviewId: ctx.aggregate.id, caseId: (ctx.aggregate as ReviewRecord).caseId }, ctx.now));
        break;
      case 'recordDispositions': {
        const decided = await dispositionRows(tx, deps, ctx, p.dispositions as DispositionParam[]);
        await tx.dispositions.insertMany(decided);
        // 以案促改: a sanction, or responsibility found, opens the unit's rectification.
        if (ctx.type === 'case' || ctx.type === 'review') rows.push(...(await openRectificationFor(tx, deps, { type: ctx.type, aggregate: ctx.aggregate }, decided, ctx.now)));
        break;
      }
      case 'recordAppealDecision':
        if (p.outcome !== 'upheld') {
          await tx.dispositions.revoke({ caseId: caseIdOf(ctx), reviewId: reviewIdOf(ctx), personId: String(p.personId) }, ctx.now);
          await tx.dispositions.insertMany(await dispositionRows(tx, deps, ctx, (p.dispositions as DispositionParam[]) ?? []));
        }
        break;
      case 'extendDeadline':
        rows.push(...(await extendRunning(tx, deps, ctx, String(p.key), Number(p.days))));
        break;
      case 'notify':
        rows.push(...(await notificationsFor(tx, deps, ctx, p as unknown as NotifyParams)));
        break;
      case 'splitClue':
        // 分案: the subjects that left get a case of their own, linked to this one.
        rows.push(...(await registerSplitCase(tx, deps, ctx.aggregate as CaseRecord, p as unknown as CaseEffectParams['splitClue'], ctx.actorId ?? 'system', ctx.now)));
        break;
      default:
        deps.logger.warn({ effect: effect.type }, 'effect without a handler');
    }
  }
  return rows;
}

function caseIdOf(ctx: EffectContext): string {
  return ctx.type === 'case' ? ctx.aggregate.id : (ctx.aggregate as ReviewRecord).caseId;
}

function reviewIdOf(ctx: EffectContext): string | null {
  return ctx.type === 'review' ? ctx.aggregate.id : null;
}

async function dispositionRows(tx: StoreTx, deps: Deps, ctx: EffectContext, list: DispositionParam[] | undefined): Promise<DispositionRecord[]> {
  if (!list?.length) return [];
  const tree = await orgTree(deps.store, tx);
  const people = peopleOf(ctx);
  return list.map((d) => {
    const person = people.get(d.personId);
    const orgId = person?.orgId ?? ctx.aggregate.orgId;
    return {
      id: randomUUID(),
      caseId: caseIdOf(ctx),
      reviewId: reviewIdOf(ctx),
      personId: d.personId,
      personName: person?.name ?? null,
      rank: person?.rank ?? 'other',
      orgId,
      orgLevel: orgLevel(tree, orgId),
      measure: d.measure,
      form: d.form,
      decidedAt: ctx.now,
      revokedAt: null,
    };
  });
}

function orgLevel(tree: OrgTree, orgId: string): DispositionRecord['orgLevel'] {
  return tree.get(orgId)?.level ?? 'county';
}

/** Case subjects, or a review's parties (leaders of the reviewed unit). */
function peopleOf(ctx: EffectContext): Map<string, PersonInfo> {
  const list =
    ctx.type === 'case'
      ? ((ctx.aggregate as CaseRecord).data.subjects as PersonInfo[] | undefined)
      : ((ctx.aggregate as ReviewRecord).data.parties as PersonInfo[] | undefined);
  return new Map((list ?? []).filter((s) => s.personId).map((s) => [s.personId, s]));
}

async function extendRunning(tx: StoreTx, deps: Deps, ctx: EffectContext, key: string, days: number): Promise<OutboxRow[]> {
  const i = ctx.deadlines.findIndex((d) => d.key === key && isRunning(d));
  if (i < 0) return [];
  const extended: DeadlineRecord = {
    ...ctx.deadlines[i],
    ...extendDeadline(ctx.deadlines[i], days, deps.calendar, { now: ctx.now, policies: deps.policy.deadlines }),
  };
  await tx.deadlines.update(extended);
  ctx.deadlines[i] = extended;
  return nextStepRows(extended, ctx.now);
}
