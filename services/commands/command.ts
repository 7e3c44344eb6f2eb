import type { z } from 'zod';
import type { CommandRule } from '../../machines/shared/commands';
import { hasAnyRole } from '../authz';
import { AppError, fieldErrors, forbidden, validationFailed, type FieldError } from '../errors';
import { isSystemUser } from '../principal';
import type { User } from '../store/port';
import type { AggregateModel } from './model';

export interface ParsedCommand {
  type: string;
  expectedVersion?: number;
  payload: Record<string, unknown>;
  /** What the audit event records of the command (its payload). */
  auditDetail: Record<string, unknown>;
}

/**
 * Validates a command body `{type, expectedVersion?, …payload}` against its schema. Internal events
 * are for the system actor only (403 `system_only`); an unknown type or bad payload is a 400.
 */
export function parseCommand(
  body: unknown,
  commands: Readonly<Record<string, z.ZodType>>,
  internal: Readonly<Record<string, z.ZodType>>,
  user: User,
): ParsedCommand {
  const { type, expectedVersion, ...rest } = (body ?? {}) as { type?: unknown; expectedVersion?: unknown } & Record<string, unknown>;
  const system = isSystemUser(user);
  const typeName = typeof type === 'string' ? type : '';
  const schema = Object.hasOwn(commands, typeName) && !system ? commands[typeName] : Object.hasOwn(internal, typeName) ? internal[typeName] : undefined;
  if (!schema) {
    if (Object.hasOwn(internal, typeName)) throw forbidden('system_only', `${typeName} is an internal event of the engine`);
    const known = system ? Object.keys(internal) : Object.keys(commands);
    throw validationFailed([{ path: 'type', message: `unknown command; one of: ${known.join(', ')}` }]);
  }
  if (!system && Object.hasOwn(internal, typeName)) throw forbidden('system_only', `${typeName} is an internal event of the engine`);
  const parsed = schema.safeParse(rest);
  if (!parsed.success) throw validationFailed(fieldErrors(parsed.error));
  const payload = parsed.data as Record<string, unknown>;
  return {
    type: typeName,
    ...(typeof expectedVersion === 'number' ? { expectedVersion } : {}),
    payload,
    auditDetail: payload,
  };
}

/** 403 `role` when the user holds none of the roles a command names (chain and self rules are the machine's). */
export function requireRoleFor(rules: Readonly<Record<string, CommandRule>>, type: string, user: User): void {
  const rule = rules[type];
  if (!rule || isSystemUser(user)) return;
  if ((rule.kind === 'roles' || rule.kind === 'assignedTrialReviewer') && !hasAnyRole(user, rule.roles)) {
    throw forbidden('role', `${type} needs one of the roles: ${rule.roles.join(', ')}`);
  }
}

/**
 * Why the machine refused: payload problems that need the record (400), the actor (403 with its
 * reason), or the state (409 with the commands this caller may send now).
 */
export function refusalError<S>(
  model: Pick<AggregateModel<any, S>, 'explainRefusal' | 'availableCommands'>,
  snapshot: S,
  event: Parameters<AggregateModel<any, S>['step']>[1],
  payloadIssues: FieldError[],
): AppError {
  const reason = model.explainRefusal(snapshot, event);
  if (reason === 'command_not_allowed' && payloadIssues.length) return validationFailed(payloadIssues, `${event.type} does not fit this record`);
  if (reason !== 'command_not_allowed') return forbidden(reason, refusalText(reason, event.type));
  const allowedCommands = model.availableCommands(snapshot, event.actor);
  return new AppError('command_not_allowed', `${event.type} is not accepted now`, { allowedCommands });
}

function refusalText(reason: string, type: string): string {
  switch (reason) {
    case 'separation_of_duties':
      return `${type} would break separation of duties (proposer ≠ approver; trial reviewers took no part before trial)`;
    case 'system_only':
      return `${type} is an internal event of the engine`;
    default:
      return `${type} needs another role at this step`;
  }
}
