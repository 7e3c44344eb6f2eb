import { LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { Button, Layout, Menu, Space, Spin, Tag, Typography } from 'antd';
import { Suspense, type ReactNode } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { useNames } from '../api/hooks';
import { useAuth } from '../auth/context';
import { MENU_GROUPS, SCREENS } from '../routes';
import { labels } from './labels';

/** The frame every screen sits in: the menu from the screens table, the user, sign-out. */
export function Shell({ children }: { children: ReactNode }) {
  const { user, logout, hasRole } = useAuth();
  const names = useNames();
  const navigate = useNavigate();
  const location = useLocation();
  const visible = SCREENS.filter((s) => s.menu && (!s.roles || hasRole(...s.roles)));
  const items = MENU_GROUPS.map((group) => ({
    type: 'group' as const,
    key: group,
    label: group,
    children: visible.filter((s) => s.menu === group).map((s) => ({ key: s.path, icon: s.icon, label: s.title })),
  })).filter((g) => g.children.length);
  const selected = visible
    .map((s) => s.path)
    .filter((p) => (p === '/' ? location.pathname === '/' : location.pathname.startsWith(p)))
    .sort((a, b) => b.length - a.length)[0];
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider width={208} theme="dark" breakpoint="lg" collapsedWidth={0}>
        <div style={{ color: '#fff', padding: '16px 16px 8px', fontWeight: 600, fontSize: 16, lineHeight: 1.4 }}>
          一案双查
          <div style={{ fontSize: 12, fontWeight: 400, opacity: 0.75 }}>监督执纪工作平台</div>
        </div>
        <Menu theme="dark" mode="inline" selectedKeys={selected ? [selected] : []} items={items} onClick={(e) => void navigate(e.key)} data-testid="main-menu" />
      </Layout.Sider>
      <Layout>
        <Layout.Header style={{ background: '#fff', padding: '0 24px', display: 'flex', justifyContent: 'space-between', alignItems: 'center', borderBottom: '1px solid #f0f0f0' }}>
          <Typography.Text strong>{names.org(user?.orgId)}纪委监委</Typography.Text>
          <Space>
            <UserOutlined />
            <span data-testid="current-user">{user?.name}</span>
            {user?.roles.map((r) => (
              <Tag key={r} color="red">
                {labels.role(r)}
              </Tag>
            ))}
            <Button icon={<LogoutOutlined />} type="text" onClick={logout}>
              退出
            </Button>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ margin: 16 }}>
          <Suspense fallback={<Spin style={{ margin: 48 }} />}>{children}</Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
