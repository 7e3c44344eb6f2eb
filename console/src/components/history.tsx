import { useQuery } from '@tanstack/react-query';
import { Space, Switch, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { api } from '../api/client';
import { useNames } from '../api/hooks';
import type { HistoryEvent, Page } from '../api/types';
import { labels } from './labels';

const READS = new Set(['read', 'disclosed']);

/** The hash-chained history of an aggregate; reads hidden unless asked for. */
export function HistoryTable({ path, stateLabel }: { path: string; stateLabel: (s: string) => string }) {
  const [showReads, setShowReads] = useState(false);
  const names = useNames();
  const q = useQuery({ queryKey: ['history', path], queryFn: () => api<Page<HistoryEvent>>(`${path}/history`) });
  const items = (q.data?.items ?? []).filter((e) => showReads || !READS.has(e.outcome));
  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <Switch checked={showReads} onChange={setShowReads} data-testid="show-reads" />
        <span>显示查阅记录</span>
        <Typography.Text type="secondary">每条记录含前一条的哈希值（SM3 哈希链），可在“审计核验”中校验。</Typography.Text>
      </Space>
      <Table<HistoryEvent>
        rowKey="seq"
        size="small"
        loading={q.isLoading}
        dataSource={items}
        pagination={{ pageSize: 20 }}
        data-testid="history"
        columns={[
          { title: '序号', dataIndex: 'seq', width: 64 },
          { title: '时间', dataIndex: 'at', width: 170, render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm:ss') },
          { title: '操作人', dataIndex: 'actor', render: (v: string) => names.user(v) },
          { title: '操作', dataIndex: 'action', render: (v: string) => labels.action(v) },
          {
            title: '结果',
            dataIndex: 'outcome',
            render: (v: string, e) => (
              <Tag color={v === 'accepted' ? 'green' : v === 'refused' ? 'red' : 'default'}>
                {labels.auditOutcome(v)}
                {v === 'refused' && e.detail?.reason ? `（${labels.reason(String(e.detail.reason))}）` : ''}
              </Tag>
            ),
          },
          { title: '状态变化', render: (_, e) => (e.from !== e.to ? `${e.from ? stateLabel(e.from) : '—'} → ${e.to ? stateLabel(e.to) : '—'}` : '') },
          { title: '哈希', dataIndex: 'hash', render: (v: string) => <Typography.Text code copyable={{ text: v }}>{v.slice(0, 10)}…</Typography.Text> },
        ]}
      />
    </>
  );
}
