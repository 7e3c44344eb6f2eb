/**
 * A command starts from the record this process last committed (services/commands/record-cache.ts).
 * Another process may have changed the case since: the command must then be decided on the record
 * as stored, whether the remembered one would accept it (the compare-and-set fails) or refuse it.
 * "Another process" is a second store object over the same database: it has its own memory.
 */
import { runCaseCommand } from '../../services/cases/run-command';
import type { Store, User } from '../../services/store/port';
import { clue, command, withOrgChart } from '../helpers/fixtures';
import { startTestSystem, type TestSystem } from '../helpers/system';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem({ workers: false });
  await withOrgChart(sys);
}, 120_000);
afterAll(async () => sys.stop());

const viaApi = (id: string, userId: string, body: Record<string, unknown>) => command(sys, userId, `/api/v1/cases/${id}/commands`, body);

async function viaOtherProcess(id: string, userId: string, body: Record<string, unknown>) {
  const other = { ...sys.deps, store: Object.create(sys.deps.store) as Store };
  const user = (await sys.deps.store.users.get(userId)) as User;
  return runCaseCommand(other, user, id, body);
}

describe('commands on a remembered record', () => {
  it('when another process moved the case, then a command refused by the remembered state is decided on the stored one', async () => {
    const created = await (await sys.as('registrar1')).post('/api/v1/cases', clue());
    const id = created.body.id as string;
    const assigned = await viaApi(id, 'manager1', { type: 'assign', inspectorIds: ['inspector1'] });

    const proposed = await viaOtherProcess(id, 'inspector1', { type: 'proposeDisposition', method: 'preliminaryVerification', reason: '初核' });
    expect(proposed.version).toBe(assigned.version + 1);
    // This process remembers the case before the proposal, where `approve` is not accepted.
    const approved = await viaApi(id, 'head1', { type: 'approve' });
    expect(approved).toMatchObject({ state: 'preliminaryVerification.inProgress', version: assigned.version + 2 });

    const history = (await (await sys.as('head1')).get(`/api/v1/cases/${id}/history?pageSize=100`)).body.items as Array<{ outcome: string }>;
    expect(history.filter((e) => e.outcome === 'refused')).toEqual([]);
  });

  it('when another process changed the case, then a command the remembered state accepts runs again on the stored one', async () => {
    const created = await (await sys.as('registrar1')).post('/api/v1/cases', clue());
    const id = created.body.id as string;
    const assigned = await viaApi(id, 'manager1', { type: 'assign', inspectorIds: ['inspector1'] });

    await viaOtherProcess(id, 'supervisor1', { type: 'recuse', userId: 'inspector2', relation: 'interest', reason: '存在利害关系' });
    // Accepted on the remembered record too; its compare-and-set fails, and the command runs again.
    const proposed = await viaApi(id, 'inspector1', { type: 'proposeDisposition', method: 'talkInquiry', reason: '反映具体' });
    expect(proposed).toMatchObject({ state: 'dispositionReview', version: assigned.version + 2 });
    // What the other process recorded is kept.
    expect((await (await sys.as('inspector2')).get(`/api/v1/cases/${id}`)).status).toBe(403);
  });

  it('when the caller sends the stored version as expectedVersion, then a remembered older version does not refuse it', async () => {
    const created = await (await sys.as('registrar1')).post('/api/v1/cases', clue());
    const id = created.body.id as string;
    await viaApi(id, 'manager1', { type: 'assign', inspectorIds: ['inspector1'] });
    const recused = await viaOtherProcess(id, 'supervisor1', { type: 'recuse', userId: 'inspector2', relation: 'interest', reason: '存在利害关系' });

    const proposed = await viaApi(id, 'inspector1', { type: 'proposeDisposition', method: 'talkInquiry', reason: '反映具体', expectedVersion: recused.version });
    expect(proposed.version).toBe(Number(recused.version) + 1);
    const stale = await (await sys.as('head1')).post(`/api/v1/cases/${id}/commands`, { type: 'approve', expectedVersion: recused.version });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('version_conflict');
  });

  it('when the remembered record refuses the caller (recusal), then the stored one is asked once more and the refusal is answered and audited once', async () => {
    const created = await (await sys.as('registrar1')).post('/api/v1/cases', clue());
    const id = created.body.id as string;
    await viaApi(id, 'manager1', { type: 'assign', inspectorIds: ['inspector1', 'inspector2'] });
    await viaApi(id, 'supervisor1', { type: 'recuse', userId: 'inspector2', relation: 'interest', reason: '存在利害关系' });

    const refused = await (await sys.as('inspector2')).post(`/api/v1/cases/${id}/commands`, { type: 'proposeDisposition', method: 'talkInquiry', reason: '反映具体' });
    expect(refused.status).toBe(403);
    expect(refused.body.reason).toBe('recusal');
    const history = (await (await sys.as('head1')).get(`/api/v1/cases/${id}/history?pageSize=100`)).body.items as Array<{ outcome: string; actor: string }>;
    expect(history.filter((e) => e.outcome === 'refused')).toEqual([expect.objectContaining({ actor: 'inspector2' })]);
  });
});
