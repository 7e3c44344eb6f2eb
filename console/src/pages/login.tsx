/**
 * Sign-in. AUTH_MODE=dev: pick a stored user (the list is read with the built-in administrator's
 * dev token; dev tokens exist only in dev mode). AUTH_MODE=jwt: paste the JWT your SSO issued.
 * Either way the token goes to sessionStorage, never into a URL.
 */
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Form, Input, Row, Spin, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { api, ApiError } from '../api/client';
import type { Org, Page, User } from '../api/types';
import { useAuth } from '../auth/context';
import { labels } from '../components/labels';
import { problemText } from '../components/problem';

async function devToken(userId: string): Promise<string> {
  return (await api<{ token: string }>('/auth/dev-token', { body: { userId }, anonymous: true })).token;
}

async function directory(): Promise<{ mode: 'dev' | 'jwt'; users: User[]; orgs: Org[] }> {
  let admin: string;
  try {
    admin = await devToken('admin');
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return { mode: 'jwt', users: [], orgs: [] };
    throw err;
  }
  const [users, orgs] = await Promise.all([api<Page<User>>('/users', { token: admin }), api<Page<Org>>('/orgs', { token: admin })]);
  return { mode: 'dev', users: users.items, orgs: orgs.items };
}

export default function LoginPage() {
  const { login } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from ?? '/';
  const dir = useQuery({ queryKey: ['login-directory'], queryFn: directory, retry: false });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const pick = async (userId: string) => {
    setBusy(userId);
    setError(null);
    try {
      login(await devToken(userId));
      void navigate(from === '/login' ? '/' : from, { replace: true });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  const orgName = (id: string) => dir.data?.orgs.find((o) => o.id === id)?.name ?? id;
  return (
    <div style={{ minHeight: '100vh', background: '#f5f5f5', padding: '48px 16px' }}>
      <Card style={{ maxWidth: 960, margin: '0 auto' }}>
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          一案双查 · 监督执纪工作平台
        </Typography.Title>
        {error ? <Alert type="error" title={problemText(error)} style={{ marginBottom: 16 }} /> : null}
        {dir.isLoading && <Spin />}
        {dir.error && <Alert type="error" title={problemText(dir.error)} />}
        {dir.data?.mode === 'dev' && (
          <>
            <Alert type="warning" showIcon style={{ marginBottom: 16 }} title="开发演示模式：选择一名用户登录（生产环境使用统一身份认证令牌）" />
            <Row gutter={[12, 12]} data-testid="user-picker">
              {dir.data.users
                .filter((u) => u.id !== 'admin')
                .concat(dir.data.users.filter((u) => u.id === 'admin'))
                .map((u) => (
                  <Col key={u.id} xs={24} sm={12} md={8}>
                    <Card size="small" hoverable onClick={() => void pick(u.id)} data-user={u.id} loading={busy === u.id}>
                      <Typography.Text strong>{u.name}</Typography.Text>
                      <div style={{ fontSize: 12, color: '#888' }}>{orgName(u.orgId)}</div>
                      <div style={{ marginTop: 4 }}>
                        {u.roles.map((r) => (
                          <Tag key={r}>{labels.role(r)}</Tag>
                        ))}
                      </div>
                    </Card>
                  </Col>
                ))}
            </Row>
          </>
        )}
        {dir.data?.mode === 'jwt' && (
          <Form
            layout="vertical"
            onFinish={(v: { token: string }) => {
              login(v.token.trim());
              void navigate(from, { replace: true });
            }}
          >
            <Alert type="info" showIcon style={{ marginBottom: 16 }} title="请粘贴统一身份认证系统签发的访问令牌（JWT）。令牌仅保存在本标签页的会话中。" />
            <Form.Item name="token" label="访问令牌" rules={[{ required: true, message: '请输入访问令牌' }]}>
              <Input.Password autoComplete="off" />
            </Form.Item>
            <Button type="primary" htmlType="submit">
              登录
            </Button>
          </Form>
        )}
      </Card>
    </div>
  );
}
