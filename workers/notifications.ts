/**
 * The `notifications` queue (ARCHITECTURE.md §5): the notice is already in the recipient's inbox
 * (stored in the transaction that produced it); this job delivers it to the optional webhook
 * `NOTIFY_WEBHOOK_URL`, signed with `NOTIFY_WEBHOOK_SECRET`, retried with backoff by BullMQ.
 * The receiver de-duplicates on `x-ajsc-delivery` (delivery is at least once).
 */
import { createHmac } from 'node:crypto';
import { UnrecoverableError, type Job } from 'bullmq';
import type { Deps } from '../services/deps';
import type { Notification, Store, StoreTx } from '../services/store/port';

export interface NotificationProcessorOptions {
  /** Per request (default 10 s); a timeout is retried like a 5xx. */
  timeoutMs?: number;
}

/** The BullMQ processor of the `notifications` queue. */
export function notificationsProcessor(deps: Deps, options: NotificationProcessorOptions = {}): (job: Job) => Promise<unknown> {
  return async (job) => {
    const { notificationId, userId } = jobData(job.data);
    const url = deps.config.NOTIFY_WEBHOOK_URL;
    if (!url) return { skipped: 'no webhook configured' };
    const notification = await loadNotification(deps.store, notificationId, userId);
    if (!notification) throw new UnrecoverableError(`notification ${notificationId} not found`);
    const status = await postWebhook(url, deps.config.NOTIFY_WEBHOOK_SECRET, notification, options.timeoutMs ?? 10_000);
    return { status };
  };
}

/** `sha256=<hex HMAC-SHA256 of the raw body>`. */
export function signature(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/**
 * POSTs the notification as JSON. 2xx → delivered; 408, 429, 5xx or a network error → throws (BullMQ
 * retries with backoff); any other 4xx → `UnrecoverableError` (the receiver refuses it for good).
 * Without a secret the request goes unsigned (the header is left out rather than signed with "").
 */
export async function postWebhook(url: string, secret: string | undefined, n: Notification, timeoutMs: number): Promise<number> {
  const body = JSON.stringify(webhookPayload(n));
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', 'x-ajsc-delivery': n.id };
  if (secret) headers['x-ajsc-signature'] = signature(body, secret);
  const res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) });
  await res.body?.cancel();
  if (res.ok) return res.status;
  const permanent = res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429;
  const message = `webhook answered ${res.status} for notification ${n.id}`;
  throw permanent ? new UnrecoverableError(message) : new Error(message);
}

function webhookPayload(n: Notification) {
  const { id, userId, kind, title, body, aggregateType, aggregateId, createdAt } = n;
  return { id, userId, kind, title, body, aggregateType, aggregateId, createdAt };
}

/**
 * The notification by id. The port has no `notifications.get` yet, so until it does the job also
 * carries the recipient's id and the notice is looked up among the user's latest ones.
 */
async function loadNotification(store: Store, id: string, userId: string | undefined): Promise<Notification | null> {
  const repo = store.notifications as StoreTx['notifications'] & { get?: (id: string) => Promise<Notification | null> };
  if (typeof repo.get === 'function') return repo.get(id);
  if (!userId) return null;
  return (await repo.listForUser(userId, 1000)).find((n) => n.id === id) ?? null;
}

function jobData(data: unknown): { notificationId: string; userId?: string } {
  const d = data as { notificationId?: unknown; userId?: unknown } | null;
  if (typeof d?.notificationId !== 'string') throw new UnrecoverableError(`bad notifications job data ${JSON.stringify(data)}`);
  return { notificationId: d.notificationId, userId: typeof d.userId === 'string' ? d.userId : undefined };
}
