import { getReviewView, listReviews, runReviewCommand } from '../../reviews';
import { route } from '../route';
import { commandEnvelope, reviewListQuery } from '../schemas';

export const reviewRoutes = [
  route({
    method: 'get',
    path: '/api/v1/reviews',
    summary: 'List accountability reviews (问责) in your scope',
    tag: 'reviews',
    query: reviewListQuery,
    handler: ({ deps, user, query }) => listReviews(deps, user, query),
  }),
  route({
    method: 'get',
    path: '/api/v1/reviews/:id',
    summary: 'A review view with its available commands',
    tag: 'reviews',
    handler: ({ deps, user, params }) => getReviewView(deps, user, params.id),
  }),
  route({
    method: 'post',
    path: '/api/v1/reviews/:id/commands',
    summary: 'Send a command to a review',
    tag: 'reviews',
    command: true,
    body: commandEnvelope,
    handler: ({ deps, user, params, body }) => runReviewCommand(deps, user, params.id, body),
  }),
];
