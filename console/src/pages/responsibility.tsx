/**
 * 责任清单 (主体责任清单, 一岗双责): who holds which post in each org of the caller's scope
 * — 党委（党组）书记, 班子成员 and their 分管, 纪委书记 — on a chosen date, from GET /responsibility/posts.
 */
import { useQuery } from '@tanstack/react-query';
import { Card, Col, DatePicker, Empty, Row, Select, Space, Table, Tag, Tree, Typography } from 'antd';
import dayjs from 'dayjs';
import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { labelOf, POST_LABELS } from '../../../machines/shared/dictionary';
import { api } from '../api/client';
import { useNames, useOrgs } from '../api/hooks';
import type { components } from '../api/schema';
import { orgTreeData } from '../components/org-tree';
import { ProblemAlert } from '../components/problem';

type Post = components['schemas']['Post'];

const POST_ORDER = ['secretary', 'member', 'disciplineHead'];
const POST_COLOURS: Record<string, string> = { secretary: 'red', member: 'blue', disciplineHead: 'purple' };

export default function ResponsibilityPage() {
  const [params, setParams] = useSearchParams();
  const names = useNames();
  const orgs = useOrgs().data?.items ?? [];
  const tree = useMemo(() => orgTreeData(orgs), [orgs]);
  const orgId = params.get('orgId') ?? undefined;
  const post = params.get('post') ?? undefined;
  // On a date: the posts held that day (default today); cleared: every appointment on record.
  const at = params.has('at') ? params.get('at') || undefined : dayjs().format('YYYY-MM-DD');
  const set = (patch: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) if (v !== undefined || k === 'at') next.set(k, v ?? '');
    else next.delete(k);
    setParams(next, { replace: true });
  };
  const q = useQuery({ queryKey: ['posts', { orgId, post, at }], queryFn: () => api<{ items: Post[] }>('/responsibility/posts', { query: { orgId, post, at } }) });
  const rows = [...(q.data?.items ?? [])].sort(
    (a, b) => (a.orgName ?? a.orgId).localeCompare(b.orgName ?? b.orgId, 'zh-CN') || POST_ORDER.indexOf(a.post) - POST_ORDER.indexOf(b.post) || a.from.localeCompare(b.from),
  );
  return (
    <Row gutter={16}>
      <Col xs={24} md={6} lg={5}>
        <Card size="small" title="单位">
          <Tree treeData={tree} defaultExpandAll selectedKeys={orgId ? [orgId] : []} onSelect={(keys) => set({ orgId: (keys[0] as string | undefined) ?? undefined })} />
        </Card>
      </Col>
      <Col xs={24} md={18} lg={19}>
        <Card title="主体责任清单" data-testid="responsibility-page">
          <Space wrap style={{ marginBottom: 12 }}>
            <span>在任日期</span>
            <DatePicker value={at ? dayjs(at) : null} onChange={(d) => set({ at: d ? d.format('YYYY-MM-DD') : '' })} placeholder="全部任职记录" />
            <Select
              allowClear
              placeholder="岗位"
              style={{ width: 260 }}
              value={post}
              options={POST_ORDER.map((p) => ({ value: p, label: labelOf(POST_LABELS, p) }))}
              onChange={(v?: string) => set({ post: v })}
            />
          </Space>
          <ProblemAlert error={q.error} />
          <Table<Post>
            rowKey="id"
            size="small"
            loading={q.isFetching}
            dataSource={rows}
            pagination={{ pageSize: 50, hideOnSinglePage: true }}
            locale={{ emptyText: <Empty description="暂无任职记录" /> }}
            data-testid="post-table"
            columns={[
              { title: '单位', dataIndex: 'orgId', width: 150, render: (o: string, p) => p.orgName ?? names.org(o) },
              { title: '岗位', dataIndex: 'post', width: 230, render: (k: string) => <Tag color={POST_COLOURS[k]}>{labelOf(POST_LABELS, k)}</Tag> },
              { title: '姓名', dataIndex: 'personName', width: 100 },
              { title: '职务', dataIndex: 'title', render: (t: string | null) => t ?? '—' },
              {
                title: '分管',
                render: (_, p) => [...p.portfolioDepartments, ...p.portfolioOrgIds.map(names.org)].join('、') || '—',
              },
              { title: '任职起止', width: 200, render: (_, p) => `${p.from} 至 ${p.to ?? '今'}` },
            ]}
          />
          <Typography.Text type="secondary">书记履行第一责任人职责，班子成员履行“一岗双责”，纪委书记履行监督责任；问责调查据此提示责任人。</Typography.Text>
        </Card>
      </Col>
    </Row>
  );
}
