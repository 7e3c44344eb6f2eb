import { getReviewView, listReviews, reviewHistory, runReviewCommand } from '../../reviews';
import { reviewCommandBody } from '../command-docs';
import { reviewHistorySchema, reviewListSchema, reviewViewSchema } from '../responses';
import { route, type HandlerContext } from '../route';
import { commandEnvelope, reviewListQuery } from '../schemas';

const currentReview = { current: (ctx: HandlerContext<any, any>, id: string) => getReviewView(ctx.deps, ctx.user, id) };

export const reviewRoutes = [
  route({
    method: 'get',
    path: '/api/v1/reviews',
    operationId: 'listReviews',
    summary: 'List accountability reviews (问责) in your scope',
    tag: 'reviews',
    query: reviewListQuery,
    response: reviewListSchema,
    handler: ({ deps, user, query }) => listReviews(deps, user, query),
  }),
  route({
    method: 'get',
    path: '/api/v1/reviews/:id',
    operationId: 'getReview',
    summary: 'A review view with its available commands',
    response: reviewViewSchema,
    tag: 'reviews',
    handler: ({ deps, user, params }) => getReviewView(deps, user, params.id),
  }),
  route({
    method: 'get',
    path: '/api/v1/reviews/:id/history',
    operationId: 'getReviewHistory',
    summary: "The review's audit events (hash chain), reads included",
    response: reviewHistorySchema,
    tag: 'reviews',
    handler: ({ deps, user, params }) => reviewHistory(deps, user, params.id),
  }),
  route({
    method: 'post',
    path: '/api/v1/reviews/:id/commands',
    operationId: 'sendReviewCommand',
    summary: 'Send a command to a review (one schema per `type`); answers the review view',
    tag: 'reviews',
    command: true,
    body: commandEnvelope,
    documentedBody: reviewCommandBody,
    response: reviewViewSchema,
    idempotent: currentReview,
    handler: ({ deps, user, params, body }) => runReviewCommand(deps, user, params.id, body),
  }),
];
