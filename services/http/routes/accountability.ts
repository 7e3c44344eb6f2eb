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
import { route } from '../route';

/** 问责 that does not start from a case, and the 一案双查 proposals of the frequency trigger (issue 18 §4). */
export const accountabilityRoutes = [
  route({
    method: 'post',
    path: '/api/v1/reviews/standalone',
    summary: 'Open a 问责 review without a case (巡视巡察移交、上级交办、责任制检查考核、信访举报、他案一案双查)',
    tag: 'reviews',
    status: 201,
    command: true,
    body: standaloneReviewSchema,
    response: standaloneResultSchema,
    handler: ({ deps, user, body }) => startStandaloneReview(deps, user, body),
  }),
  route({
    method: 'get',
    path: '/api/v1/dual-proposals',
    summary: '一案双查 proposed by the frequency trigger (严重违纪问题频发), for the commission head',
    tag: 'reviews',
    query: proposalListQuery,
    response: proposalListSchema,
    handler: ({ deps, user, query }) => listProposals(deps, user, query),
  }),
  route({
    method: 'post',
    path: '/api/v1/dual-proposals/:id/open',
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
    summary: 'Dismiss the proposed 一案双查 with a reason',
    tag: 'reviews',
    command: true,
    body: proposalDecisionSchema,
    response: proposalViewSchema,
    handler: ({ deps, user, params, body }) => decideProposal(deps, user, params.id, 'dismiss', body),
  }),
];
