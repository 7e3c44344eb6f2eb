import type { UserRole } from '../../machines';
import type { Org } from '../store/port';

/**
 * The demo org chart: a county (县) with three townships (乡镇), each with its party
 * committee and discipline body, and a user for every role. Ids are short so curl examples stay short.
 */
export const DEMO_ORGS: Array<Omit<Org, 'createdAt'>> = [
  { id: 'city', name: '青山市', level: 'prefecture', parentId: 'root', partyCommittee: '中共青山市委', disciplineBody: '青山市纪委监委' },
  { id: 'county', name: '青山市云溪县', level: 'county', parentId: 'city', partyCommittee: '中共云溪县委', disciplineBody: '云溪县纪委监委' },
  { id: 'town-a', name: '云溪县东岭镇', level: 'township', parentId: 'county', partyCommittee: '中共东岭镇委员会', disciplineBody: '东岭镇纪委' },
  { id: 'town-b', name: '云溪县西坪乡', level: 'township', parentId: 'county', partyCommittee: '中共西坪乡委员会', disciplineBody: '西坪乡纪委' },
  { id: 'town-c', name: '云溪县南川镇', level: 'township', parentId: 'county', partyCommittee: '中共南川镇委员会', disciplineBody: '南川镇纪委' },
];

export interface DemoUser {
  id: string;
  name: string;
  orgId: string;
  roles: UserRole[];
}

export const DEMO_USERS: DemoUser[] = [
  { id: 'registrar1', name: '林晓梅', orgId: 'county', roles: ['registrar'] },
  { id: 'manager1', name: '赵立新', orgId: 'county', roles: ['caseManager'] },
  { id: 'inspector1', name: '王建国', orgId: 'county', roles: ['inspector'] },
  { id: 'inspector2', name: '陈静', orgId: 'county', roles: ['inspector'] },
  { id: 'reviewer1', name: '刘洋', orgId: 'county', roles: ['trialReviewer'] },
  { id: 'reviewer2', name: '孙丽', orgId: 'county', roles: ['trialReviewer'] },
  { id: 'supervisor1', name: '周强', orgId: 'county', roles: ['supervisor'] },
  { id: 'head1', name: '吴正', orgId: 'county', roles: ['commissionHead'] },
  { id: 'secretary1', name: '郑国栋', orgId: 'county', roles: ['partySecretary'] },
  { id: 'committee1', name: '黄敏', orgId: 'county', roles: ['standingCommittee'] },
  { id: 'auditor1', name: '何平', orgId: 'county', roles: ['auditor'] },
  { id: 'countyadmin', name: '县纪委信息管理员', orgId: 'county', roles: ['admin'] },
  { id: 'cityhead', name: '马振华', orgId: 'city', roles: ['commissionHead'] },
  { id: 'towninspector', name: '许可', orgId: 'town-a', roles: ['inspector'] },
];
