/**
 * The answers the console reads, as the generated API types name them (api/schema.d.ts, generated
 * from /openapi.json by openapi-typescript; a test fails when it is stale).
 */
import type { components } from './schema';

type S = components['schemas'];

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export type User = S['User'];
export type Org = S['Org'];
export type Deadline = S['DeadlineView'];
export type PendingApproval = S['PendingApproval'];
export type ApprovalStep = PendingApproval['approvals'][number];
export type Meeting = S['Meeting'];
export type CaseView = S['CaseView'];
export type Subject = CaseView['subjects'][number];
export type Disposition = CaseView['dispositions'][number];
export type ReviewView = S['ReviewView'];
export type HistoryEvent = S['AuditEvent'];
export type Inbox = S['Inbox'];
export type InboxItem = S['InboxItem'];
export type OverdueItem = Inbox['overdue'][number];
export type Notification = S['Notification'];
export type NotificationPage = S['NotificationPage'];
