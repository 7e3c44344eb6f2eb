/**
 * 系统管理 (admin): the org tree and new orgs, users and their roles, the working-day calendar per
 * year (放假 and 调休 days; the running deadlines counted through a year without data), the API
 * documentation and the queue board (任务队列), opened with a one-time link in a new tab.
 */
import { ApiOutlined, CalendarOutlined, ClusterOutlined, PlusOutlined, TeamOutlined, ToolOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Col, Descriptions, Empty, Form, Input, InputNumber, Modal, Row, Select, Space, Table, Tabs, Tag, Tree, TreeSelect, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { ORG_LEVEL_LABELS, ROLE_LABELS } from '../../../machines/shared/dictionary';
import { api, ApiError } from '../api/client';
import { useNames, useOrgs, useUsers } from '../api/hooks';
import type { components } from '../api/schema';
import type { Org, User } from '../api/types';
import { labels } from '../components/labels';
import { orgTreeData } from '../components/org-tree';
import { ProblemAlert } from '../components/problem';

type CalendarYearView = components['schemas']['CalendarYearView'];

/** Puts the API's `errors[].path` on the form's fields (the first segment names the field). */
function fieldErrorsOf(form: ReturnType<typeof Form.useForm>[0], err: unknown): boolean {
  if (!(err instanceof ApiError) || !err.problem.errors?.length) return false;
  const byField = new Map<string, string[]>();
  for (const e of err.problem.errors) {
    const name = e.path.split('.')[0] || 'id';
    byField.set(name, [...(byField.get(name) ?? []), e.message]);
  }
  form.setFields([...byField].map(([name, errors]) => ({ name, errors })));
  return true;
}

function OrgsTab() {
  const { message } = App.useApp();
  const qc = useQueryClient();
  const orgs = useOrgs();
  const tree = useMemo(() => orgTreeData(orgs.data?.items ?? []), [orgs.data]);
  const [selected, setSelected] = useState<Org | null>(null);
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const create = useMutation({
    mutationFn: (body: Record<string, unknown>) => api<Org>('/orgs', { body }),
    onSuccess: (org) => {
      void message.success(`已新增单位：${org.name}`);
      setOpen(false);
      form.resetFields();
      void qc.invalidateQueries({ queryKey: ['orgs'] });
    },
    onError: (err) => fieldErrorsOf(form, err),
  });
  return (
    <Row gutter={16}>
      <Col xs={24} md={10}>
        <Card
          size="small"
          title="组织机构"
          extra={
            <Button size="small" icon={<PlusOutlined />} onClick={() => setOpen(true)} data-testid="new-org">
              新增下级单位
            </Button>
          }
        >
          <ProblemAlert error={orgs.error} />
          <Tree treeData={tree} defaultExpandAll onSelect={(keys) => setSelected(orgs.data?.items.find((o) => o.id === keys[0]) ?? null)} data-testid="admin-org-tree" />
        </Card>
      </Col>
      <Col xs={24} md={14}>
        <Card size="small" title="单位信息">
          {selected ? (
            <Descriptions size="small" bordered column={1}>
              <Descriptions.Item label="名称">{selected.name}</Descriptions.Item>
              <Descriptions.Item label="编码">{selected.id}</Descriptions.Item>
              <Descriptions.Item label="层级">{labels.orgLevel(selected.level)}</Descriptions.Item>
              <Descriptions.Item label="党委（党组）">{selected.partyCommittee ?? '—'}</Descriptions.Item>
              <Descriptions.Item label="纪检监察机关">{selected.disciplineBody ?? '—'}</Descriptions.Item>
            </Descriptions>
          ) : (
            <Empty description="请在左侧选择单位" />
          )}
        </Card>
      </Col>
      <Modal title="新增下级单位" open={open} onCancel={() => setOpen(false)} onOk={() => form.submit()} confirmLoading={create.isPending} okText="保存" destroyOnHidden>
        <ProblemAlert error={create.error && !(create.error instanceof ApiError && create.error.problem.errors?.length) ? create.error : null} />
        <Form form={form} layout="vertical" onFinish={(v) => create.mutate(Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined && x !== '')))}>
          <Form.Item name="parentId" label="上级单位" rules={[{ required: true, message: '此项必填' }]} initialValue={selected?.id}>
            <TreeSelect treeData={tree} treeDefaultExpandAll />
          </Form.Item>
          <Form.Item name="name" label="单位名称" rules={[{ required: true, message: '此项必填' }]}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="level" label="层级" rules={[{ required: true, message: '此项必填' }]}>
            <Select options={Object.entries(ORG_LEVEL_LABELS).map(([value, label]) => ({ value, label }))} />
          </Form.Item>
          <Form.Item name="id" label="单位编码（可不填，由系统生成）">
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="partyCommittee" label="党委（党组）名称">
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="disciplineBody" label="纪检监察机关名称">
            <Input maxLength={200} />
          </Form.Item>
        </Form>
      </Modal>
    </Row>
  );
}

const ASSIGNABLE_ROLES = Object.keys(ROLE_LABELS).filter((r) => r !== 'system');

function UsersTab() {
  const { message } = App.useApp();
  const qc = useQueryClient();
  const users = useUsers();
  const names = useNames();
  const tree = useMemo(() => orgTreeData(names.orgs), [names.orgs]);
  const [open, setOpen] = useState(false);
  const [role, setRole] = useState<string | undefined>();
  const [form] = Form.useForm();
  const create = useMutation({
    mutationFn: (body: Record<string, unknown>) => api<User>('/users', { body }),
    onSuccess: (u) => {
      void message.success(`已新增用户：${u.name}`);
      setOpen(false);
      form.resetFields();
      void qc.invalidateQueries({ queryKey: ['users'] });
    },
    onError: (err) => fieldErrorsOf(form, err),
  });
  const rows = (users.data?.items ?? []).filter((u) => !role || (u.roles as string[]).includes(role));
  return (
    <Card
      size="small"
      title="用户与角色"
      extra={
        <Space>
          <Select allowClear placeholder="按角色筛选" style={{ width: 180 }} value={role} onChange={setRole} options={ASSIGNABLE_ROLES.map((r) => ({ value: r, label: labels.role(r) }))} />
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)} data-testid="new-user">
            新增用户
          </Button>
        </Space>
      }
    >
      <ProblemAlert error={users.error} />
      <Table<User>
        rowKey="id"
        size="small"
        loading={users.isLoading}
        dataSource={rows}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        data-testid="user-table"
        columns={[
          { title: '姓名', dataIndex: 'name', width: 160 },
          { title: '账号', dataIndex: 'id', width: 160 },
          { title: '所在单位', dataIndex: 'orgId', render: (o: string) => names.org(o) },
          {
            title: '角色',
            dataIndex: 'roles',
            render: (rs: string[]) =>
              rs.map((r) => (
                <Tag key={r} color="red">
                  {labels.role(r)}
                </Tag>
              )),
          },
          { title: '创建时间', dataIndex: 'createdAt', width: 120, render: (d: string) => (d ? dayjs(d).format('YYYY-MM-DD') : '') },
        ]}
      />
      <Modal title="新增用户" open={open} onCancel={() => setOpen(false)} onOk={() => form.submit()} confirmLoading={create.isPending} okText="保存" destroyOnHidden>
        <ProblemAlert error={create.error && !(create.error instanceof ApiError && create.error.problem.errors?.length) ? create.error : null} />
        <Form form={form} layout="vertical" onFinish={(v) => create.mutate(Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined && x !== '')))}>
          <Form.Item name="name" label="姓名" rules={[{ required: true, message: '此项必填' }]}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="id" label="账号（可不填，由系统生成）">
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="orgId" label="所在单位" rules={[{ required: true, message: '此项必填' }]}>
            <TreeSelect treeData={tree} treeDefaultExpandAll />
          </Form.Item>
          <Form.Item name="roles" label="角色" rules={[{ required: true, message: '至少选择一个角色' }]}>
            <Select mode="multiple" options={ASSIGNABLE_ROLES.map((r) => ({ value: r, label: labels.role(r) }))} />
          </Form.Item>
          <Form.Item name="personId" label="人员编码（与干部信息关联，可不填）">
            <Input maxLength={100} />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Dates typed one per line (or separated by commas, spaces or 、), de-duplicated and sorted. */
function parseDates(text: string | undefined): string[] {
  return [...new Set((text ?? '').split(/[\s,，、;；]+/).filter(Boolean))].sort();
}

function datesRule(year: number, what: string) {
  return {
    validator: async (_: unknown, value: string | undefined) => {
      const bad = parseDates(value).filter((d) => !DATE.test(d) || !dayjs(d).isValid() || dayjs(d).format('YYYY-MM-DD') !== d || dayjs(d).year() !== year);
      if (bad.length) throw new Error(`${what}须为 ${year} 年内的日期（格式 ${year}-01-01），有误：${bad.join('、')}`);
    },
  };
}

function CalendarTab() {
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [year, setYear] = useState<number>(dayjs().year());
  const [form] = Form.useForm<{ holidays: string; workdays: string }>();
  const q = useQuery({ queryKey: ['calendar', year], queryFn: () => api<CalendarYearView>(`/calendar/${year}`), enabled: year >= 2000 && year <= 2100 });
  useEffect(() => {
    if (q.data) form.setFieldsValue({ holidays: q.data.holidays.join('\n'), workdays: q.data.workdays.join('\n') });
  }, [q.data, form]);
  const save = useMutation({
    mutationFn: (v: { holidays: string; workdays: string }) => api<CalendarYearView>(`/calendar/${year}`, { method: 'PUT', body: { holidays: parseDates(v.holidays), workdays: parseDates(v.workdays) } }),
    onSuccess: (view) => {
      qc.setQueryData(['calendar', year], view);
      void message.success(`${year} 年工作日历已保存${view.replanned ? `，重新计算期限 ${view.replanned.replanned} 项` : ''}`);
    },
    onError: (err) => {
      if (!(err instanceof ApiError) || !err.problem.errors?.length) return;
      const to = (p: string) => (p.startsWith('workdays') ? 'workdays' : 'holidays');
      const by = new Map<string, string[]>();
      for (const e of err.problem.errors) by.set(to(e.path), [...(by.get(to(e.path)) ?? []), `${e.path}：${e.message}`]);
      form.setFields([...by].map(([name, errors]) => ({ name: name as 'holidays' | 'workdays', errors })));
    },
  });
  const view = q.data;
  const origin = view ? { override: '管理员录入', 'chinese-days': '系统内置（国务院办公厅通知）', none: '无数据（仅按周一至周五计算）' }[view.origin] : '';
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Card size="small" title="工作日历（法定节假日与调休）">
        <Space wrap style={{ marginBottom: 12 }}>
          <span>年度</span>
          <InputNumber min={2000} max={2100} value={year} onChange={(v) => v && setYear(v)} data-testid="calendar-year" />
          {view && (
            <>
              <Tag color={view.known ? 'green' : 'orange'} data-testid="calendar-known" data-known={String(view.known)}>
                {view.known ? '已有本年度数据' : '本年度节假日数据缺失'}
              </Tag>
              <Typography.Text type="secondary">
                数据来源：{origin}
                {view.updatedAt ? `，更新于 ${dayjs(view.updatedAt).format('YYYY-MM-DD HH:mm')}` : ''}
              </Typography.Text>
            </>
          )}
        </Space>
        <ProblemAlert error={q.error ?? (save.error instanceof ApiError && save.error.problem.errors?.length ? null : save.error)} />
        <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)} data-testid="calendar-form">
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item name="holidays" label="放假日期（每行一个，含周末放假日）" rules={[datesRule(year, '放假日期')]}>
                <Input.TextArea rows={10} placeholder={`${year}-01-01`} data-testid="calendar-holidays" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="workdays" label="调休上班日期（周末上班，每行一个）" rules={[datesRule(year, '调休上班日期')]}>
                <Input.TextArea rows={10} placeholder={`${year}-02-07`} data-testid="calendar-workdays" />
              </Form.Item>
            </Col>
          </Row>
          <Button type="primary" htmlType="submit" icon={<CalendarOutlined />} loading={save.isPending} data-testid="calendar-save">
            保存 {year} 年工作日历
          </Button>
        </Form>
      </Card>
      <Card size="small" title="按缺失年度数据推算的期限">
        <Typography.Paragraph type="secondary">以下在办期限跨越了尚无节假日数据的年度，暂按周一至周五推算；录入该年度日历后系统自动重新计算。</Typography.Paragraph>
        <Table
          size="small"
          rowKey={(d) => `${d.aggregate}-${d.id}-${d.key}`}
          dataSource={view?.uncertainDeadlines ?? []}
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          locale={{ emptyText: <Empty description="暂无" /> }}
          data-testid="uncertain-deadlines"
          columns={[
            {
              title: '事项',
              render: (_, d) => <Link to={d.aggregate === 'review' ? `/reviews/${d.id}` : `/cases/${d.id}`}>{d.aggregate === 'review' ? '问责调查' : d.aggregate === 'case' ? '案件' : d.aggregate} {d.id}</Link>,
            },
            { title: '时限', dataIndex: 'key', render: (k: string) => labels.deadline(k) },
            { title: '到期日', dataIndex: 'dueAt', render: (d: string) => dayjs(d).format('YYYY-MM-DD') },
            { title: '状态', dataIndex: 'status', render: (s: string) => labels.deadlineStatus(s) },
          ]}
        />
      </Card>
    </Space>
  );
}

function OperationsTab() {
  const { message } = App.useApp();
  const [error, setError] = useState<unknown>(null);
  const openBoard = async () => {
    setError(null);
    // Opened now, while the click still counts as the user's: a window opened after the answer would be blocked.
    const tab = window.open('', '_blank');
    try {
      const { url } = await api<{ url: string; expiresInSeconds: number }>('/admin/queue-board/ticket', { method: 'POST' });
      if (tab) {
        tab.opener = null;
        tab.location.href = url;
      } else {
        void message.warning('浏览器阻止了新窗口，请允许本站弹出窗口后重试');
      }
    } catch (err) {
      tab?.close();
      setError(err);
    }
  };
  return (
    <Card size="small" title="运维工具">
      <Space orientation="vertical">
        <ProblemAlert error={error} onClose={() => setError(null)} />
        <Space wrap>
          <Button icon={<ToolOutlined />} onClick={() => void openBoard()} data-testid="queue-board">
            任务队列
          </Button>
          <Typography.Text type="secondary">以一次性链接（60 秒内有效）在新标签页打开后台任务队列看板。</Typography.Text>
        </Space>
        <Space wrap>
          <Button icon={<ApiOutlined />} href="/docs" target="_blank" rel="noopener noreferrer" data-testid="api-docs">
            接口文档
          </Button>
          <Typography.Text type="secondary">OpenAPI 3.1 接口说明（/docs），可在线调试。</Typography.Text>
        </Space>
      </Space>
    </Card>
  );
}

export default function AdminPage() {
  return (
    <Card title="系统管理" data-testid="admin-page">
      <Tabs
        destroyOnHidden
        items={[
          { key: 'orgs', label: '组织机构', icon: <ClusterOutlined />, children: <OrgsTab /> },
          { key: 'users', label: '用户与角色', icon: <TeamOutlined />, children: <UsersTab /> },
          { key: 'calendar', label: '工作日历', icon: <CalendarOutlined />, children: <CalendarTab /> },
          { key: 'ops', label: '运维工具', icon: <ToolOutlined />, children: <OperationsTab /> },
        ]}
      />
    </Card>
  );
}
