/**
 * Whom a 一案双查 review looks at, from the responsibility map as it stood when the
 * facts happened: the primary review the unit's party secretary (第一责任人, 主要领导责任) and the
 * members whose portfolio covers the subject's unit (直接主管, 主要领导责任); the supervision review the
 * discipline head (监督责任). Suggestions only: the inspector confirms or edits them in submitFindings.
 */
import { z } from 'zod';
import { orgTree, type OrgTree } from '../authz';
import type { Deps } from '../deps';
import type { PostRecord } from '../store/duty-port';
import type { ReviewRecord } from '../store/port';
import { leadershipAt } from './index';

export const suggestedPartySchema = z
  .object({
    name: z.string(),
    personId: z.string(),
    position: z.string(),
    responsibility: z.enum(['mainLeadership', 'importantLeadership', 'supervision']),
    /** Why: the post, its term and the date the map was read at (中文). */
    basis: z.string(),
    postId: z.string(),
  })
  .meta({ id: 'SuggestedParty' });

export type SuggestedParty = z.output<typeof suggestedPartySchema>;

export const suggestionsSchema = z
  .object({
    /** The date the map was read at: when the facts happened (or, unrecorded, when the clue came in). */
    asOf: z.string().nullable(),
    asOfSource: z.enum(['reviewFactsAt', 'caseFactsAt', 'caseReceivedAt', 'none']),
    parties: z.array(suggestedPartySchema),
  })
  .meta({ id: 'SuggestedParties' });

export type Suggestions = z.output<typeof suggestionsSchema>;

const dateOf = (v: unknown): string | null => (typeof v === 'string' && v.length >= 10 ? v.slice(0, 10) : null);

/** The orgs from `from` up to `to` (inclusive); just `[from, to]` when `to` is not above `from`. */
function chain(tree: OrgTree, from: string, to: string): string[] {
  const out: string[] = [];
  let cur: string | null | undefined = from;
  while (cur && !out.includes(cur)) {
    out.push(cur);
    if (cur === to) return out;
    cur = tree.get(cur)?.parentId;
  }
  return [...new Set([from, to])];
}

function term(p: PostRecord): string {
  return p.to ? `${p.from}至${p.to}` : `${p.from}起`;
}

export async function suggestedPartiesFor(deps: Deps, review: ReviewRecord): Promise<Suggestions> {
  const kase = review.caseId ? await deps.store.cases.get(review.caseId) : null;
  const fromReview = dateOf(review.data.factsAt);
  const fromCase = dateOf(kase?.data.factsAt);
  const received = dateOf(kase?.data.receivedAt);
  const asOf = fromReview ?? fromCase ?? received;
  const asOfSource = fromReview ? 'reviewFactsAt' : fromCase ? 'caseFactsAt' : received ? 'caseReceivedAt' : 'none';
  if (!asOf) return { asOf: null, asOfSource, parties: [] };
  const tree = await orgTree(deps.store);
  const targetOrgId = String(review.data.targetOrgId ?? review.orgId);
  const subjectOrgIds = ((kase?.data.subjects as Array<{ orgId?: string }> | undefined) ?? []).flatMap((s) => (s.orgId ? [s.orgId] : []));
  const covered = [...new Set([targetOrgId, ...subjectOrgIds.flatMap((o) => chain(tree, o, targetOrgId))])];
  const map = await leadershipAt(deps.store, targetOrgId, asOf, covered);
  const orgName = (id: string) => tree.get(id)?.name ?? id;
  const when = `事实发生时（${asOf}）在任`;
  const parties: SuggestedParty[] = [];
  if (review.kind === 'primary') {
    if (map.secretary) {
      const s = map.secretary;
      parties.push({
        name: s.personName,
        personId: s.personId,
        position: s.title ?? `${orgName(s.orgId)}党委书记`,
        responsibility: 'mainLeadership',
        basis: `第一责任人：${orgName(s.orgId)}党委（党组）书记，任期${term(s)}，${when}`,
        postId: s.id,
      });
    }
    for (const m of map.overseenBy) {
      if (parties.some((p) => p.personId === m.personId)) continue;
      const units = m.portfolioOrgIds.filter((id) => covered.includes(id)).map(orgName).join('、');
      parties.push({
        name: m.personName,
        personId: m.personId,
        position: m.title ?? `${orgName(m.orgId)}班子成员`,
        responsibility: 'mainLeadership',
        basis: `直接主管（一岗双责）：${orgName(m.orgId)}班子成员，分管${units}，任期${term(m)}，${when}`,
        postId: m.id,
      });
    }
  } else if (map.disciplineHead) {
    const h = map.disciplineHead;
    parties.push({
      name: h.personName,
      personId: h.personId,
      position: h.title ?? `${orgName(h.orgId)}纪委书记`,
      responsibility: 'supervision',
      basis: `监督责任：${orgName(h.orgId)}纪委书记（纪检组长），任期${term(h)}，${when}`,
      postId: h.id,
    });
  }
  return { asOf, asOfSource, parties };
}
