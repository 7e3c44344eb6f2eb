/**
 * Commands that name users (API.md "Payload shapes"): each named id must be a stored user, or the
 * command is a 400 that names the field (`inspectorIds.1`) and changes nothing. Checked right after
 * the payload's schema, before the record is read, like any other bad input.
 */
import { cachedUser } from '../authz';
import { validationFailed, type FieldError } from '../errors';
import type { Store } from '../store/port';
import type { ParsedCommand } from './command';

/**
 * The payload fields that hold user ids, by command type (the same on every aggregate that has the
 * command): a dotted path to a string or to an array of strings.
 */
export const USER_FIELDS: Readonly<Record<string, readonly string[]>> = {
  assign: ['inspectorIds'],
  assignTrialReviewers: ['userIds'],
  recuse: ['userId'],
  approve: ['meeting.attendees', 'meeting.dissent'],
};

/** 400 `validation_failed` with one error per unknown user id, its path the field and index. */
export async function requireKnownUsers(store: Store, command: ParsedCommand): Promise<void> {
  const fields = USER_FIELDS[command.type];
  if (!fields) return;
  const named = fields.flatMap((field) => idsAt(command.payload, field));
  if (named.length === 0) return;
  const users = await Promise.all(named.map(({ id }) => cachedUser(store, id)));
  const errors: FieldError[] = named.flatMap(({ path, id }, i) => (users[i] ? [] : [{ path, message: `用户不存在：${id}` }]));
  if (errors.length) throw validationFailed(errors, '命令中指定的用户不存在');
}

function idsAt(payload: Record<string, unknown>, field: string): Array<{ path: string; id: string }> {
  let value: unknown = payload;
  for (const key of field.split('.')) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  if (typeof value === 'string') return [{ path: field, id: value }];
  if (Array.isArray(value)) return value.flatMap((id, i) => (typeof id === 'string' ? [{ path: `${field}.${i}`, id }] : []));
  return [];
}
