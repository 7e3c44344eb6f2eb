/**
 * What a detail page shows instead of its view: a spinner while the view loads; when it cannot be
 * read, a result page saying why (未找到 for a 404 and for a recused official, 回避, who is told
 * the matter is not available to them; otherwise 无法查看 with the API's explanation).
 */
import type { UseQueryResult } from '@tanstack/react-query';
import { Result, Spin } from 'antd';
import type { ReactElement } from 'react';
import { ApiError } from '../api/client';
import { problemText } from './problem';

/** The spinner or the result page for `q`, or null once its view is there. `forbidden: false` shows a 403 as a plain error. */
export function detailFallback(q: UseQueryResult<unknown>, opts: { forbidden?: boolean; testId?: string } = {}): ReactElement | null {
  if (q.isLoading) return <Spin style={{ margin: 48 }} />;
  if (!q.error) return null;
  const status = q.error instanceof ApiError ? q.error.status : 500;
  const gone = status === 404 || (q.error instanceof ApiError && q.error.problem.reason === 'recusal');
  const icon = gone ? '404' : status === 403 && opts.forbidden !== false ? '403' : 'error';
  return <Result status={icon} title={gone ? '未找到' : '无法查看'} subTitle={problemText(q.error)} data-testid={opts.testId} />;
}
