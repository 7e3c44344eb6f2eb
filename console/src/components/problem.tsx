import { Alert } from 'antd';
import { ApiError } from '../api/client';
import { labels } from './labels';

/** A refusal explained in Chinese: 403 names its reason (回避 / 职责分离 / 越权 / 系统操作). */
export function problemText(err: unknown): string {
  if (!(err instanceof ApiError)) return err instanceof Error ? `操作失败：${err.message}` : '操作失败';
  const p = err.problem;
  switch (p.status) {
    case 400:
      return `提交内容有误：${(p.errors ?? []).map((e) => `${labels.field(e.path.split('.')[0])}（${e.path}）${e.message}`).join('；') || p.detail || ''}`;
    case 401:
      return '登录已失效，请重新登录';
    case 403:
      return p.reason ? labels.reasonExplained(p.reason) : '无权执行此操作';
    case 404:
      return '未找到：记录不存在，或不在您的查看范围内';
    case 409:
      if (p.code === 'version_conflict') return '他人已先行办理，记录已变更：已为您重新载入最新内容，请核对后再操作';
      if (p.code === 'idempotency_conflict') return '同一提交已用于不同内容，请刷新后重新提交';
      return `当前环节不能执行此操作${p.allowedCommands?.length ? `；现可执行：${p.allowedCommands.map(labels.command).join('、')}` : ''}`;
    case 413:
      return '提交内容过大';
    case 422:
      return '重复提交的内容与首次不一致，未予受理';
    case 429:
      return '操作过于频繁，请一分钟后再试';
    default:
      return `系统错误（${p.status}）：${p.detail ?? ''}`;
  }
}

export function ProblemAlert({ error, onClose }: { error: unknown; onClose?: () => void }) {
  if (!error) return null;
  return <Alert type="error" showIcon title={problemText(error)} closable={!!onClose} onClose={onClose} role="alert" data-testid="problem" />;
}
