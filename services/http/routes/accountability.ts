import {
  decideProposal,
  listProposals,
  proposalDecisionSchema,
  proposalListQuery,
  proposalListSchema,
  proposalViewSchema,
  standaloneResultSchema,
  standaloneReviewSchema,
  startStandaloneReview,
} from '../../accountability';
import { getReviewView } from '../../reviews';
import { route, type HandlerContext } from '../route';

/**
 * A repeat whose first request committed but never stored its answer (its process stopped in
 * between) is answered with the review its commit recorded the key on, the first of the request's.
 */
const currentStandalone = { current: async (ctx: HandlerContext<any, any>, id: string) => ({ reviews: [await getReviewView(ctx.deps, ctx.user, id)] }) };

/** 问责 that does not start from a case, and the 一案双查 proposals of the frequency trigger. */
export const accountabilityRoutes = [
  route({
    method: 'post',
    path: '/api/v1/reviews/standalone',
    operationId: 'openStandaloneReview',
    summary: 'Open a 问责 review without a case (巡视巡察移交、上级交办、责任制检查考核、信访举报、他案一案双查)',
    tag: 'reviews',
    status: 201,
    command: true,
    idempotent: currentStandalone,
    body: standaloneReviewSchema,
    response: standaloneResultSchema,
    handler: ({ deps, user, body }) => startStandaloneReview(deps, user, body),
  }),
  route({
    method: 'get',
    path: '/api/v1/dual-proposals',
    operationId: 'listDualProposals',
    summary: '一案双查 proposed by the frequency trigger (严重违纪问题频发), for the commission head',
    tag: 'reviews',
    query: proposalListQuery,
    response: proposalListSchema,
    handler: ({ deps, user, query }) => listProposals(deps, user, query),
  }),
  route({
    method: 'post',
    path: '/api/v1/dual-proposals/:id/open',
    operationId: 'openDualProposal',
    summary: 'Open the proposed 一案双查 (both reviews, stand-alone)',
    tag: 'reviews',
    command: true,
    body: proposalDecisionSchema,
    response: proposalViewSchema,
    handler: ({ deps, user, params, body }) => decideProposal(deps, user, params.id, 'open', body),
  }),
  route({
    method: 'post',
    path: '/api/v1/dual-proposals/:id/dismiss',
    operationId: 'dismissDualProposal',
    summary: 'Dismiss the proposed 一案双查 with a reason',
    tag: 'reviews',
    command: true,
    body: proposalDecisionSchema,
    response: proposalViewSchema,
    handler: ({ deps, user, params, body }) => decideProposal(deps, user, params.id, 'dismiss', body),
  }),
];
