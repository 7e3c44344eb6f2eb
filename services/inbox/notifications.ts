import type { Deps } from '../deps';
import type { Notification, User } from '../store/port';

/** A page of the caller's notifications (newest first). */
export interface NotificationPageQuery {
  page: number;
  pageSize: number;
  unread?: boolean;
}

export interface NotificationPage {
  items: Notification[];
  total: number;
  unread: number;
  page: number;
  pageSize: number;
}

/** GET /notifications and the inbox's notifications: only the caller's own. */
export async function notificationPage(deps: Deps, user: User, q: NotificationPageQuery): Promise<NotificationPage> {
  const found = await deps.store.notifications.pageForUser(user.id, { page: q.page, pageSize: q.pageSize, unreadOnly: q.unread === true });
  return { ...found, page: q.page, pageSize: q.pageSize };
}

/**
 * POST /notifications/read: marks the caller's notifications read, the named ones or all. Ids of
 * other users' notices, or already read ones, change nothing (no one learns which ids exist).
 */
export async function markNotificationsRead(deps: Deps, user: User, which: { ids?: string[]; all?: true }): Promise<{ marked: number; unread: number }> {
  const marked = await deps.store.notifications.markRead(user.id, which.all ? null : (which.ids ?? []), deps.clock().toISOString());
  const { unread } = await deps.store.notifications.pageForUser(user.id, { page: 1, pageSize: 1, unreadOnly: true });
  return { marked, unread };
}
