import { markNotificationsRead, notificationPage } from '../../inbox/notifications';
import { markReadSchema, notificationPageSchema } from '../responses';
import { route } from '../route';
import { markReadBodySchema, notificationListQuery } from '../schemas';

/** The caller's own notifications (消息通知): paged, and marked read one, several or all at once. */
export const notificationRoutes = [
  route({
    method: 'get',
    path: '/api/v1/notifications',
    operationId: 'listNotifications',
    summary: 'Your notifications, newest first (`unread=true` for the unread ones), with the unread count',
    tag: 'inbox',
    query: notificationListQuery,
    response: notificationPageSchema,
    handler: ({ deps, user, query }) => notificationPage(deps, user, query),
  }),
  route({
    method: 'post',
    path: '/api/v1/notifications/read',
    operationId: 'markNotificationsRead',
    summary: 'Mark your notifications read: `{ids: [...]}` or `{all: true}`; others’ ids change nothing',
    tag: 'inbox',
    body: markReadBodySchema,
    response: markReadSchema,
    handler: ({ deps, user, body }) => markNotificationsRead(deps, user, body),
  }),
];
