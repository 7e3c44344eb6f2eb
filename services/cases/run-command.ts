import { CASE_COMMAND_ROLES, caseCommandSchemas, caseInternalEventSchemas, payloadIssues, type CaseSnapshot } from '../../machines';
import type { ParsedCommand } from '../commands/command';
import { runCommand, type CommandTarget, type MachineEvent } from '../commands/run';
import type { Deps } from '../deps';
import { cachedUser } from '../authz';
import { validationFailed } from '../errors';
import type { CaseRecord, User } from '../store/port';
import { loadCaseFor, type LoadedCase } from './load';
import { caseModel } from './model';
import { viewOfLoaded } from './queries';

function caseTarget(deps: Deps): CommandTarget<CaseRecord, CaseSnapshot, LoadedCase> {
  const model = caseModel(deps);
  return {
    model,
    commands: caseCommandSchemas,
    internal: caseInternalEventSchemas,
    rules: CASE_COMMAND_ROLES,
    load: loadCaseFor,
    payloadIssues: (snapshot, event) => payloadIssues(model.machine, snapshot, event as never),
    enrich: resolveTrialReviewers,
    view: (d, user, loaded, deadlines) => viewOfLoaded(d, user, { ...loaded, context: loaded.snapshot.context as never }, deadlines),
  };
}

/** `POST /cases/:id/commands` (API.md); also how workers send internal events, as the system user. */
export function runCaseCommand(deps: Deps, user: User, id: string, body: unknown): Promise<Record<string, unknown>> {
  return runCommand(deps, caseTarget(deps), user, id, body);
}

/** The machine checks trial reviewers' independence; it needs each named user's roles, resolved here. */
async function resolveTrialReviewers(deps: Deps, command: ParsedCommand, event: MachineEvent): Promise<MachineEvent> {
  if (command.type !== 'assignTrialReviewers') return event;
  const userIds = command.payload.userIds as string[];
  const users = await Promise.all(userIds.map((uid) => cachedUser(deps.store, uid)));
  const missing = users.flatMap((u, i) => (u ? [] : [{ path: `userIds.${i}`, message: `unknown user ${userIds[i]}` }]));
  if (missing.length) throw validationFailed(missing);
  const { userIds: _ids, ...rest } = event;
  return { ...rest, reviewers: users.map((u) => ({ id: u!.id, roles: u!.roles })) };
}
