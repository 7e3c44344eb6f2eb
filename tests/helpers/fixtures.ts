import { seedOrgChart } from '../../services/demo/seed';
import type { TestSystem } from './system';
import { todayCst } from './dates';

/** The demo org chart (county, townships, one user per role) as the fixture of API tests. */
export async function withOrgChart(sys: TestSystem): Promise<void> {
  await seedOrgChart(sys.deps);
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
