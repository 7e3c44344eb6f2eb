/**
 * THE table of screens: one entry per page file under pages/. A new screen is one file plus one
 * entry here; the menu, the routes and role filtering follow from this table.
 */
import {
  ApartmentOutlined, AuditOutlined, BarChartOutlined, BellOutlined, CheckSquareOutlined, CommentOutlined, DashboardOutlined, FileAddOutlined, FileSearchOutlined, FolderOpenOutlined,
  FundOutlined, ReconciliationOutlined, SafetyCertificateOutlined, SettingOutlined, SolutionOutlined, WarningOutlined,
} from '@ant-design/icons';
import { lazy, type ComponentType, type LazyExoticComponent, type ReactNode } from 'react';

export interface Screen {
  /** Path under /console (react-router pattern). */
  path: string;
  title: string;
  icon?: ReactNode;
  /** Menu group; absent: not in the menu (detail screens). */
  menu?: string;
  /** Roles that see it in the menu (absent: everyone). The API decides what they may do. */
  roles?: string[];
  page: LazyExoticComponent<ComponentType<Record<string, unknown>>>;
  props?: Record<string, unknown>;
}

const page = (load: () => Promise<{ default: ComponentType<any> }>) => lazy(load);

export const MENU_GROUPS = ['日常办理', '案件管理', '监督分析', '系统'];

export const SCREENS: Screen[] = [
  { path: '/', title: '工作台', icon: <DashboardOutlined />, menu: '日常办理', page: page(() => import('./pages/workbench')) },
  {
    path: '/approvals',
    title: '审批',
    icon: <CheckSquareOutlined />,
    menu: '日常办理',
    roles: ['supervisor', 'commissionHead', 'partySecretary', 'standingCommittee'],
    page: page(() => import('./pages/approvals')),
  },
  { path: '/register', title: '线索登记', icon: <FileAddOutlined />, menu: '案件管理', roles: ['registrar', 'caseManager', 'inspector'], page: page(() => import('./pages/register')) },
  { path: '/clues', title: '问题线索台账', icon: <FileSearchOutlined />, menu: '案件管理', page: page(() => import('./pages/cases')), props: { mode: 'clues' } },
  { path: '/cases', title: '案件台账', icon: <FolderOpenOutlined />, menu: '案件管理', page: page(() => import('./pages/cases')), props: { mode: 'cases' } },
  { path: '/cases/:id', title: '案件详情', page: page(() => import('./pages/case-detail')) },
  { path: '/reviews/:id', title: '问责调查详情', page: page(() => import('./pages/review-detail')) },
  { path: '/reviews', title: '一案双查 / 问责', icon: <SolutionOutlined />, menu: '案件管理', page: page(() => import('./pages/reviews')) },
  { path: '/rectifications/:id', title: '以案促改详情', page: page(() => import('./pages/rectification-detail')) },
  {
    path: '/rectifications',
    title: '以案促改',
    icon: <ReconciliationOutlined />,
    menu: '案件管理',
    roles: ['commissionHead', 'partySecretary', 'standingCommittee', 'supervisor', 'caseManager', 'inspector', 'auditor'],
    page: page(() => import('./pages/rectifications')),
  },
  {
    path: '/alerts',
    title: '预警督办',
    icon: <WarningOutlined />,
    menu: '监督分析',
    roles: ['supervisor', 'commissionHead', 'partySecretary', 'standingCommittee', 'caseManager'],
    page: page(() => import('./pages/alerts')),
  },
  {
    path: '/stats',
    title: '统计分析',
    icon: <BarChartOutlined />,
    menu: '监督分析',
    roles: ['supervisor', 'commissionHead', 'partySecretary', 'standingCommittee', 'caseManager', 'auditor'],
    page: page(() => import('./pages/stats')),
  },
  {
    path: '/pressure',
    title: '上热中温下冷',
    icon: <FundOutlined />,
    menu: '监督分析',
    roles: ['supervisor', 'commissionHead', 'partySecretary', 'standingCommittee', 'caseManager', 'auditor'],
    page: page(() => import('./pages/pressure')),
  },
  {
    path: '/responsibility',
    title: '主体责任清单',
    icon: <ApartmentOutlined />,
    menu: '监督分析',
    roles: ['commissionHead', 'partySecretary', 'standingCommittee', 'supervisor', 'caseManager', 'inspector', 'auditor', 'admin'],
    page: page(() => import('./pages/responsibility')),
  },
  {
    path: '/talks',
    title: '谈话台账',
    icon: <CommentOutlined />,
    menu: '监督分析',
    roles: ['commissionHead', 'partySecretary', 'standingCommittee', 'supervisor', 'caseManager', 'inspector', 'auditor'],
    page: page(() => import('./pages/talks')),
  },
  { path: '/audit', title: '审计核验', icon: <SafetyCertificateOutlined />, menu: '监督分析', roles: ['auditor', 'admin'], page: page(() => import('./pages/audit')) },
  { path: '/admin', title: '系统管理', icon: <SettingOutlined />, menu: '系统', roles: ['admin'], page: page(() => import('./pages/admin')) },
  { path: '/notifications', title: '消息通知', icon: <BellOutlined />, page: page(() => import('./pages/workbench')), props: { tab: 'notifications' } },
];

export const AUDIT_ICON = <AuditOutlined />;
