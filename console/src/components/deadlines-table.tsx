import { Table, Tag } from 'antd';
import dayjs from 'dayjs';
import type { Deadline } from '../api/types';
import { labels } from './labels';
import { DeadlineChip, remaining } from './tags';

/** 办理时限: each clock of an aggregate with its due day, working days left, escalation and the uncertain-calendar flag. */
export function DeadlinesTable({ deadlines, testId }: { deadlines: Deadline[]; testId?: string }) {
  return (
    <Table<Deadline>
      rowKey={(d) => `${d.key}-${d.dueAt}`}
      size="small"
      pagination={false}
      dataSource={deadlines}
      data-testid={testId}
      columns={[
        { title: '时限', dataIndex: 'key', render: (k: string) => labels.deadline(k) },
        { title: '到期日', dataIndex: 'dueAt', render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm') },
        {
          title: '剩余',
          render: (_, d) => (d.status === 'open' || d.status === 'overdue' ? remaining(d) : '—'),
        },
        { title: '状态', dataIndex: 'status', render: (s: string) => labels.deadlineStatus(s) },
        { title: '预警督办', render: (_, d) => <DeadlineChip d={d} /> },
        { title: '节假日数据', dataIndex: 'calendarUncertain', render: (u: boolean) => (u ? <Tag color="orange">该年度缺失，按周末推算</Tag> : '完整') },
      ]}
    />
  );
}
