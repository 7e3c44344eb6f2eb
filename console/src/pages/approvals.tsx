/**
 * 审批: the proposals awaiting the signed-in approver, with their place in the chain. Each is opened
 * and decided on its own (no bulk approval: every approval is a signed decision); reject needs a
 * comment and the standing committee's approval needs the meeting record (the action panel's forms).
 */
import { useQuery } from '@tanstack/react-query';
import { Card, Empty, Steps, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { api } from '../api/client';
import { useNames } from '../api/hooks';
import type { Inbox, InboxItem } from '../api/types';
import { labels } from '../components/labels';
import { ProblemAlert } from '../components/problem';
import { StateTag } from '../components/tags';

export default function ApprovalsPage() {
  const names = useNames();
  const q = useQuery({ queryKey: ['inbox'], queryFn: () => api<Inbox>('/inbox').then((box) => ({ box })), refetchInterval: 30_000, select: (d) => d.box });
  const items = q.data?.approvals ?? [];
  return (
    <Card title="待我审批" extra={<Typography.Text type="secondary">请逐件审阅后办理，不提供批量审批</Typography.Text>}>
      <ProblemAlert error={q.error} />
      <Table<InboxItem>
        rowKey={(i) => `${i.aggregate}-${i.id}`}
        loading={q.isLoading}
        dataSource={items}
        pagination={{ pageSize: 20 }}
        locale={{ emptyText: <Empty description="暂无待审批事项" /> }}
        data-testid="approval-queue"
        // Fixed widths but the title's, so that the chain's steps keep their names on one line.
        tableLayout="fixed"
        scroll={{ x: 1060 }}
        columns={[
          {
            title: '事项',
            dataIndex: 'title',
            render: (t: string, i) => <Link to={i.aggregate === 'case' ? `/cases/${i.id}` : `/reviews/${i.id}`}>{t}</Link>,
          },
          { title: '类别', render: (_, i) => <Tag>{i.aggregate === 'case' ? '案件' : '问责调查'}</Tag>, width: 96 },
          { title: '审批事项', render: (_, i) => (i.pendingApproval ? labels.approvalKind(i.pendingApproval.kind) : ''), width: 130 },
          { title: '状态', dataIndex: 'state', render: (s: string, i) => <StateTag state={s} kind={i.aggregate === 'review' ? 'review' : 'case'} />, width: 180 },
          { title: '提出人', render: (_, i) => names.user(i.pendingApproval?.proposedBy), width: 84 },
          {
            title: '审批链（当前位置）',
            width: 380,
            render: (_, i) => {
              const p = i.pendingApproval;
              if (!p) return null;
              return (
                <Steps
                  size="small"
                  current={p.approvals.length}
                  items={p.chain.map((r, n) => ({ title: labels.role(r), description: p.approvals[n] ? names.user(p.approvals[n].userId) : undefined }))}
                />
              );
            },
          },
        ]}
      />
    </Card>
  );
}
