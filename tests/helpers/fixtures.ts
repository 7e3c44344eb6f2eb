import { seedOrgChart } from '../../services/demo/seed';
import { startTestSystem, type TestSystem } from './system';
import { todayCst } from './dates';

/** The demo org chart (county, townships, one user per role) as the fixture of API tests. */
export async function withOrgChart(sys: TestSystem): Promise<void> {
  await seedOrgChart(sys.deps);
}

/**
 * The system for the list tests: workers, the demo org chart, and a township `org` of the test's
 * own under the county, so that its filters see only its own cases. The 谈话函询 reply clock runs
 * out after a second, so that an overdue clock can be observed and listed.
 */
export async function startListSystem(org: { id: string; name: string }): Promise<TestSystem> {
  const sys = await startTestSystem({
    workers: true,
    env: { DEADLINE_OVERRIDES: JSON.stringify({ 'talkInquiry.reply': { due: 'PT1S', escalateAfter: 'PT1H' } }) },
  });
  await withOrgChart(sys);
  const admin = await sys.as('admin');
  expect((await admin.post('/api/v1/orgs', { id: org.id, name: org.name, level: 'township', parentId: 'county' })).status).toBe(201);
  return sys;
}

export const SUBJECT = { name: '李某某', personId: 'p-li', position: '东岭镇党委副书记', rank: 'townshipDeputy', orgId: 'town-a', partyMember: true };

export function clue(overrides: Record<string, unknown> = {}) {
  return {
    title: '东岭镇某干部违规收受礼金问题',
    orgId: 'county',
    source: 'petition',
    receivedAt: todayCst(),
    subjects: [SUBJECT],
    allegations: [{ category: 'integrity', summary: '逢年过节收受管理服务对象礼金' }],
    reporter: { name: '张举报', contact: '13800000000', realName: true },
    major: false,
    ...overrides,
  };
}

/** Sends a command and fails loudly with the problem body when it is not accepted. */
export async function command(sys: TestSystem, userId: string, path: string, body: Record<string, unknown>) {
  const res = await (await sys.as(userId)).post(path, body);
  if (res.status !== 200) throw new Error(`${userId} ${String(body.type)} → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as Record<string, any>;
}
