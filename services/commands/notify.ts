import { randomUUID } from 'node:crypto';
import type { NotifyParams } from '../../machines';
import { labelOf, NOTIFICATION_TOPIC_LABELS, PROPOSAL_LABELS, REVIEW_KIND_LABELS } from '../../machines/shared/dictionary';
import { cachedWithRole, orgTree } from '../authz';
import type { Deps } from '../deps';
import { webhookRow } from '../queues/rows';
import type { Notification, OutboxRow, StoreTx, User } from '../store/port';
import type { EffectContext } from './effects';

/**
 * The machine's `notify` effect: inbox notifications for the named users, or for holders of the
 * named roles whose scope covers the aggregate (its org and the orgs above it). With a webhook
 * configured, each notification also gets an outbox row for the `notifications` queue.
 */
export async function notificationsFor(tx: StoreTx, deps: Deps, ctx: EffectContext, params: NotifyParams): Promise<OutboxRow[]> {
  const recipients = new Map<string, User | { id: string }>();
  for (const id of params.userIds ?? []) recipients.set(id, { id });
  if (params.roles?.length) {
    const tree = await orgTree(deps.store, tx);
    const above: string[] = [];
    for (let org = tree.get(ctx.aggregate.orgId); org; org = org.parentId ? tree.get(org.parentId) : undefined) above.push(org.id);
    // An `@upper` approval step (上一级纪委) is asked of the commission above only.
    if (params.upperOnly) above.shift();
    for (const role of params.roles) for (const u of await cachedWithRole(deps.store, role, above, tx)) recipients.set(u.id, u);
  }
  const label = labelOf(PROPOSAL_LABELS, params.kind);
  const what = ctx.type === 'case'
    ? `案件「${String((ctx.aggregate as { title?: string }).title ?? ctx.aggregate.id)}」`
    : `${labelOf(REVIEW_KIND_LABELS, (ctx.aggregate as { kind?: string }).kind)}问责调查 ${ctx.aggregate.id}`;
  const rows: OutboxRow[] = [];
  const notices: Notification[] = [];
  for (const userId of recipients.keys()) {
    const n: Notification = {
      id: randomUUID(),
      userId,
      kind: params.topic,
      title: `【${NOTIFICATION_TOPIC_LABELS[params.topic]}】${label}`,
      body: bodyText(params.topic, what, label),
      aggregateType: ctx.type,
      aggregateId: ctx.aggregate.id,
      createdAt: ctx.now,
      readAt: null,
    };
    notices.push(n);
    if (deps.config.NOTIFY_WEBHOOK_URL) rows.push(webhookRow(n, ctx.now));
  }
  await tx.notifications.insertMany(notices);
  return rows;
}

function bodyText(topic: NotifyParams['topic'], what: string, label: string): string {
  switch (topic) {
    case 'approvalRequested':
      return `${what}的${label}已提交，待您审批。`;
    case 'proposalApproved':
      return `您提交的${what}${label}已审批通过。`;
    default:
      return `您提交的${what}${label}被退回，请查看审批意见。`;
  }
}
