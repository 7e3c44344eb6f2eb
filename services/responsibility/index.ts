/**
 * The responsibility map (主体责任清单, 一岗双责): who held which post in which org,
 * over time. An appointment is inserted; a departure records the last day once. Nothing is
 * overwritten, and both are events in the post's audit chain.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { hasAnyRole, orgTree, requireInScope, type OrgTree } from '../authz';
import type { Deps } from '../deps';
import { AppError, forbidden, notFound, validationFailed } from '../errors';
import { dateSchema, idSchema, text } from '../schemas';
import { POSTS, type PostKind, type PostRecord } from '../store/duty-port';
import type { StoreTx, User } from '../store/port';
import type { Role } from '../../machines/shared/roles';

/** Who records appointments and departures: the commission's head and the administrators. */
export const MAP_KEEPERS: readonly Role[] = ['admin', 'commissionHead'];

/** Chinese names of the posts (what officials read). */
export const POST_LABELS: Record<PostKind, string> = {
  secretary: '党委（党组）书记（第一责任人）',
  member: '班子成员（一岗双责）',
  disciplineHead: '纪委书记/纪检组长（监督责任）',
};

/** Posts one person holds at a time per org (a member post may be held by many). */
const SINGLE_HOLDER: readonly PostKind[] = ['secretary', 'disciplineHead'];
const OPEN_END = '9999-12-31';

export const appointSchema = z
  .strictObject({
    orgId: idSchema,
    post: z.enum(POSTS),
    personId: idSchema,
    personName: text(100),
    title: text(200).optional(),
    portfolioOrgIds: z.array(idSchema).max(200).default([]),
    portfolioDepartments: z.array(text(200)).max(200).default([]),
    from: dateSchema,
  })
  .refine((b) => b.post === 'member' || (b.portfolioOrgIds.length === 0 && b.portfolioDepartments.length === 0), {
    message: 'only a committee member (member) has a portfolio (分管)',
    path: ['portfolioOrgIds'],
  })
  .meta({ id: 'PostAppointment' });

export const departSchema = z.strictObject({ to: dateSchema, reason: text(500).optional() }).meta({ id: 'PostDeparture' });

export const postListQuery = z.strictObject({
  orgId: idSchema.optional(),
  personId: idSchema.optional(),
  post: z.enum(POSTS).optional(),
  at: dateSchema.optional(),
});

export const mapQuery = z.strictObject({ orgId: idSchema, at: dateSchema });

export const postView = z
  .object({
    id: z.string(),
    orgId: z.string(),
    orgName: z.string().nullable(),
    post: z.enum(POSTS),
    postLabel: z.string(),
    personId: z.string(),
    personName: z.string(),
    title: z.string().nullable(),
    portfolioOrgIds: z.array(z.string()),
    portfolioDepartments: z.array(z.string()),
    from: z.string(),
    to: z.string().nullable(),
    appointedBy: z.string(),
    recordedAt: z.string(),
    endedBy: z.string().nullable(),
    endedRecordedAt: z.string().nullable(),
    endReason: z.string().nullable(),
  })
  .meta({ id: 'Post' });

export const postListView = z.object({ items: z.array(postView) }).meta({ id: 'PostList' });

export const mapView = z
  .object({
    orgId: z.string(),
    orgName: z.string().nullable(),
    at: z.string(),
    secretary: postView.nullable(),
    members: z.array(postView),
    disciplineHead: postView.nullable(),
    /** Members of other orgs whose portfolio covers this org (e.g. the county member overseeing a township). */
    overseenBy: z.array(postView),
  })
  .meta({ id: 'ResponsibilityMap' });

export type PostView = z.output<typeof postView>;

export function viewOfPost(tree: OrgTree, p: PostRecord): PostView {
  return { ...p, orgName: tree.get(p.orgId)?.name ?? null, postLabel: POST_LABELS[p.post] };
}

function requireKeeper(user: User): void {
  if (!hasAnyRole(user, MAP_KEEPERS)) throw forbidden('role', `recording the responsibility map needs one of the roles: ${MAP_KEEPERS.join(', ')}`);
}

/** Records an appointment (任职). */
export async function appoint(deps: Deps, user: User, body: z.output<typeof appointSchema>): Promise<PostView> {
  const tree = await orgTree(deps.store);
  if (!tree.get(body.orgId)) throw validationFailed([{ path: 'orgId', message: `org ${body.orgId} does not exist` }]);
  requireInScope(tree, user, body.orgId, `org ${body.orgId}`);
  requireKeeper(user);
  const unknownUnit = body.portfolioOrgIds.findIndex((id) => !tree.get(id));
  if (unknownUnit >= 0) throw validationFailed([{ path: `portfolioOrgIds.${unknownUnit}`, message: `org ${body.portfolioOrgIds[unknownUnit]} does not exist` }]);
  const now = deps.clock().toISOString();
  const record: PostRecord = {
    id: `post-${randomUUID()}`,
    orgId: body.orgId,
    post: body.post,
    personId: body.personId,
    personName: body.personName,
    title: body.title ?? null,
    portfolioOrgIds: [...new Set(body.portfolioOrgIds)],
    portfolioDepartments: body.portfolioDepartments,
    from: body.from,
    to: null,
    appointedBy: user.id,
    recordedAt: now,
    endedBy: null,
    endedRecordedAt: null,
    endReason: null,
  };
  await deps.store.transaction(async (tx) => {
    await requireFree(tx, record);
    await tx.duty.posts.insert(record);
    await tx.audit.append(record.id, {
      at: now,
      actor: user.id,
      action: 'appoint',
      outcome: 'accepted',
      from: null,
      to: 'held',
      detail: { orgId: record.orgId, post: record.post, personId: record.personId, from: record.from, portfolioOrgIds: record.portfolioOrgIds },
    });
  });
  return viewOfPost(tree, record);
}

/** A single-holder post is free from `from` on; nobody holds the same member post twice at once. */
async function requireFree(tx: StoreTx, p: PostRecord): Promise<void> {
  const overlapping = await tx.duty.posts.list({ orgIds: [p.orgId], post: p.post, overlapping: { from: p.from, to: OPEN_END } });
  const clash = overlapping.find((o) => SINGLE_HOLDER.includes(p.post) || o.personId === p.personId);
  if (clash) {
    const term = clash.to ? `${clash.from}至${clash.to}` : `${clash.from}起`;
    throw validationFailed(
      [{ path: 'from', message: `该职务${term}由${clash.personName}担任（${clash.id}），任期重叠：请先登记其离任，或改正任职日期` }],
      'the post is held by someone else on that date',
    );
  }
}

/** Records a departure (离任): the last day held. Once; the appointment itself stays as it was. */
export async function depart(deps: Deps, user: User, id: string, body: z.output<typeof departSchema>): Promise<PostView> {
  const tree = await orgTree(deps.store);
  const existing = await deps.store.duty.posts.get(id);
  if (!existing) throw notFound(`post ${id}`);
  requireInScope(tree, user, existing.orgId, `post ${id}`);
  requireKeeper(user);
  if (body.to < existing.from) throw validationFailed([{ path: 'to', message: `must not be before the appointment (${existing.from})` }]);
  const now = deps.clock().toISOString();
  const ended = await deps.store.transaction(async (tx) => {
    const done = await tx.duty.posts.end(id, { to: body.to, endedBy: user.id, endedRecordedAt: now, endReason: body.reason ?? null });
    if (!done) throw new AppError('command_not_allowed', `post ${id} already ended on ${existing.to}`, { allowedCommands: [] });
    await tx.audit.append(id, { at: now, actor: user.id, action: 'depart', outcome: 'accepted', from: 'held', to: 'ended', detail: { to: body.to, reason: body.reason ?? null } });
    return done;
  });
  return viewOfPost(tree, ended);
}

export async function listPosts(deps: Deps, user: User, query: z.output<typeof postListQuery>): Promise<{ items: PostView[] }> {
  const tree = await orgTree(deps.store);
  if (query.orgId) requireInScope(tree, user, query.orgId, `org ${query.orgId}`);
  const orgIds = query.orgId ? [query.orgId] : tree.subtree(user.orgId);
  const found = await deps.store.duty.posts.list({ orgIds, personId: query.personId, post: query.post, at: query.at });
  return { items: found.map((p) => viewOfPost(tree, p)) };
}

export async function getPost(deps: Deps, user: User, id: string): Promise<PostView> {
  const tree = await orgTree(deps.store);
  const p = await deps.store.duty.posts.get(id);
  if (!p) throw notFound(`post ${id}`);
  requireInScope(tree, user, p.orgId, `post ${id}`);
  return viewOfPost(tree, p);
}

/** The map of one org on one date: its secretary, members, discipline head, and who oversees it from above. */
export async function mapAt(deps: Deps, user: User, query: z.output<typeof mapQuery>): Promise<z.output<typeof mapView>> {
  const tree = await orgTree(deps.store);
  requireInScope(tree, user, query.orgId, `org ${query.orgId}`);
  const map = await leadershipAt(deps.store, query.orgId, query.at);
  const v = (p: PostRecord) => viewOfPost(tree, p);
  return {
    orgId: query.orgId,
    orgName: tree.get(query.orgId)?.name ?? null,
    at: query.at,
    secretary: map.secretary ? v(map.secretary) : null,
    members: map.members.map(v),
    disciplineHead: map.disciplineHead ? v(map.disciplineHead) : null,
    overseenBy: map.overseenBy.map(v),
  };
}

export interface Leadership {
  secretary: PostRecord | null;
  members: PostRecord[];
  disciplineHead: PostRecord | null;
  /** Member posts (of any org) whose portfolio covers one of `coveredOrgIds`. */
  overseenBy: PostRecord[];
}

/** The posts of `orgId` held on `at`, and the members whose portfolio covers it. */
export async function leadershipAt(store: Pick<StoreTx, 'duty'>, orgId: string, at: string, coveredOrgIds: string[] = [orgId]): Promise<Leadership> {
  const [own, covering] = await Promise.all([
    store.duty.posts.list({ orgIds: [orgId], at }),
    store.duty.posts.list({ post: 'member', at, coversOrgIds: coveredOrgIds }),
  ]);
  return {
    secretary: own.find((p) => p.post === 'secretary') ?? null,
    members: own.filter((p) => p.post === 'member'),
    disciplineHead: own.find((p) => p.post === 'disciplineHead') ?? null,
    overseenBy: covering,
  };
}
