/**
 * 问责调查详情 (一案双查): the review's header, its action panel built from `availableCommands`
 * (forms from machines/review/events.ts), findings and decision, its diagram and its 操作日志.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Card, Descriptions, Space, Spin, Tabs, Tag, Typography } from 'antd';
import { lazy, Suspense } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../api/client';
import { useNames } from '../api/hooks';
import type { ReviewView } from '../api/types';
import { ActionPanel } from '../components/action-panel';
import { detailFallback } from '../components/detail-fallback';
import { HistoryTable } from '../components/history';
import { labels } from '../components/labels';
import { DeadlineChips, StateTag } from '../components/tags';

const MachineDiagram = lazy(() => import('../components/diagram'));

export default function ReviewDetailPage() {
  const { id = '' } = useParams();
  const qc = useQueryClient();
  const names = useNames();
  const q = useQuery({ queryKey: ['review', id], queryFn: () => api<ReviewView>(`/reviews/${encodeURIComponent(id)}`) });
  const fallback = detailFallback(q, { forbidden: false });
  if (fallback) return fallback;
  const r = q.data!;
  const findings = (r.findings ?? {}) as Record<string, any>;
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card>
        <Space orientation="vertical">
          <Space wrap>
            <Typography.Title level={4} style={{ margin: 0 }} data-testid="review-title">
              {labels.reviewKind(r.kind)}问责调查
            </Typography.Title>
            <span data-testid="review-state" data-state={r.state}>
              <StateTag state={r.state} kind="review" />
            </span>
          </Space>
          <Typography.Text type="secondary">
            问责对象：{r.targetName ?? names.org(r.targetOrgId)} · 所属案件 <Link to={`/cases/${r.caseId}`}>查看案件</Link> · 版本 {r.version}
          </Typography.Text>
          <DeadlineChips deadlines={r.deadlines} />
        </Space>
      </Card>
      <Card title="办理" size="small">
        <ActionPanel
          kind="review"
          view={r}
          onChanged={(v) => {
            qc.setQueryData(['review', id], v);
            void qc.invalidateQueries({ queryKey: ['case', r.caseId] });
            void qc.invalidateQueries({ queryKey: ['history', `/reviews/${id}`] });
          }}
        />
      </Card>
      <Card>
        <Tabs
          destroyOnHidden
          items={[
            {
              key: 'findings',
              label: '调查结论',
              children: r.findings ? (
                <Descriptions bordered size="small" column={1}>
                  <Descriptions.Item label="认定有责任">{findings.responsibilityFound ? '是' : '否'}</Descriptions.Item>
                  <Descriptions.Item label="责任人">
                    {(findings.parties ?? []).map((p: any, i: number) => (
                      <div key={i}>
                        {p.name}（{p.position}）<Tag>{labels.responsibility(p.responsibility)}</Tag>
                      </div>
                    ))}
                  </Descriptions.Item>
                  <Descriptions.Item label="拟问责措施">
                    {(findings.proposedMeasures ?? []).map((m: any, i: number) => (
                      <div key={i}>
                        {m.target === 'organisation' ? '党组织' : m.target}：{labels.measure(m.measure)}
                        {m.sanction ? `（${labels.measure(m.sanction)}）` : ''}
                      </div>
                    ))}
                  </Descriptions.Item>
                  {findings.exemption && <Descriptions.Item label="容错免责">{labels.exemption(findings.exemption)}</Descriptions.Item>}
                  {findings.mitigation && <Descriptions.Item label="从轻减轻">{labels.mitigation(findings.mitigation)}</Descriptions.Item>}
                </Descriptions>
              ) : (
                <Typography.Text type="secondary">尚未提交调查结论</Typography.Text>
              ),
            },
            {
              key: 'diagram',
              label: '流程图',
              children: (
                <Suspense fallback={<Spin />}>
                  <MachineDiagram machine="review" paths={[r.state.split('.')]} />
                </Suspense>
              ),
            },
            { key: 'history', label: '操作日志', children: <HistoryTable path={`/reviews/${id}`} stateLabel={labels.reviewState} /> },
          ]}
        />
      </Card>
    </Space>
  );
}
