/**
 * 审计核验 (auditor, admin): runs GET /audit/verify over every hash chain (SM3) and shows either 通过
 * with what was checked, or the chain and the sequence number where it broke.
 */
import { SafetyCertificateOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { Button, Card, Descriptions, Result, Space, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../api/client';
import type { components } from '../api/schema';
import { ProblemAlert } from '../components/problem';

type Verify = components['schemas']['AuditVerifyResult'];

/** A stream is an aggregate's id (case, review, talk…) or `user:…` for a user's list reads. */
function StreamName({ stream }: { stream: string }) {
  if (stream.startsWith('user:')) return <span>用户 {stream.slice(5)} 的查询记录</span>;
  return (
    <Space>
      <Typography.Text code data-testid="broken-stream">
        {stream}
      </Typography.Text>
      <Link to={`/cases/${encodeURIComponent(stream)}`}>按案件打开</Link>
      <Link to={`/reviews/${encodeURIComponent(stream)}`}>按问责调查打开</Link>
    </Space>
  );
}

export default function AuditPage() {
  const [ranAt, setRanAt] = useState<string | null>(null);
  const verify = useMutation({ mutationFn: () => api<Verify>('/audit/verify'), onSuccess: () => setRanAt(dayjs().format('YYYY-MM-DD HH:mm:ss')) });
  const r = verify.data;
  return (
    <Card
      title="审计核验"
      extra={
        <Button type="primary" icon={<SafetyCertificateOutlined />} loading={verify.isPending} onClick={() => verify.mutate()} data-testid="run-verify">
          开始核验
        </Button>
      }
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Paragraph type="secondary">
          操作日志按案件、问责调查等分链记录，每条记录含前一条的 SM3 哈希值。核验逐链重新计算哈希，任何删改都会使该链自被改处起断开。
        </Typography.Paragraph>
        <ProblemAlert error={verify.error} />
        {r && r.ok && (
          <Result
            status="success"
            title="通过"
            subTitle={`已核验 ${r.streams} 条哈希链、${r.events} 条操作记录，未发现篡改。核验时间：${ranAt ?? ''}`}
            data-testid="verify-result"
            data-ok="true"
          />
        )}
        {r && !r.ok && (
          <Result status="error" title="未通过：哈希链断开" data-testid="verify-result" data-ok="false">
            <Descriptions bordered size="small" column={1}>
              <Descriptions.Item label="断开的链">{r.brokenAt ? <StreamName stream={r.brokenAt.stream} /> : '—'}</Descriptions.Item>
              <Descriptions.Item label="断开位置">{r.brokenAt ? `第 ${r.brokenAt.seq} 条记录` : '—'}</Descriptions.Item>
              <Descriptions.Item label="核验范围">{`${r.streams} 条哈希链、${r.events} 条操作记录`}</Descriptions.Item>
              <Descriptions.Item label="核验时间">{ranAt}</Descriptions.Item>
            </Descriptions>
          </Result>
        )}
      </Space>
    </Card>
  );
}
