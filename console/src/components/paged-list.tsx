/**
 * What the server-paged list pages share: their filters and page in the URL's query (a changed
 * filter goes back to page 1), the list query keeping the last page on screen while the next loads,
 * and the table paged by the server with its 共 N 件 total.
 */
import { useQuery, type QueryKey, type UseQueryResult } from '@tanstack/react-query';
import { Empty, Table, type TableProps } from 'antd';
import { useSearchParams } from 'react-router';
import { api, type RequestOptions } from '../api/client';

/** A patch of query parameters: a value sets it, undefined or '' removes it. */
export type ParamsPatch = Record<string, string | undefined>;

/**
 * The page's filters read from the URL (`read`), with `page` and `pageSize` (default 1 and 20), and
 * `set`, which writes a patch back (replacing the history entry) and, unless the patch sets the
 * page, goes back to page 1.
 */
export function useListParams<F extends object>(read: (params: URLSearchParams) => F) {
  const [params, setParams] = useSearchParams();
  const filters = { ...read(params), page: Number(params.get('page') ?? 1), pageSize: Number(params.get('pageSize') ?? 20) };
  const set = (patch: ParamsPatch) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) if (v) next.set(k, v);
    else next.delete(k);
    if (!('page' in patch)) next.delete('page');
    setParams(next, { replace: true });
  };
  return { params, filters, set };
}

export type Paged<T> = { items: T[]; total: number };

/** GET `path` with `query`, cached under `key`; the last page stays while the next one loads. */
export function useListQuery<L>(key: QueryKey, path: string, query: RequestOptions['query']) {
  return useQuery({ queryKey: key, queryFn: () => api<L>(path, { query }), placeholderData: (prev) => prev });
}

type PagedTableProps<T> = Omit<TableProps<T>, 'dataSource' | 'loading' | 'pagination' | 'rowKey' | 'size'> & {
  list: UseQueryResult<Paged<T>>;
  page: number;
  pageSize: number;
  onPage: (page: number, pageSize: number) => void;
  /** What the total counts: 共 N 件 (default), 共 N 次 … */
  unit?: string;
  /** Shown (with the empty illustration) when the list is empty. */
  emptyText?: string;
  showSizeChanger?: boolean;
  'data-testid'?: string;
};

/** A small table of the list's current page, paged by the server. */
export function PagedTable<T extends { id: string }>({ list, page, pageSize, onPage, unit = '件', emptyText, showSizeChanger, ...table }: PagedTableProps<T>) {
  return (
    <Table<T>
      rowKey="id"
      size="small"
      loading={list.isFetching}
      dataSource={list.data?.items ?? []}
      {...(emptyText !== undefined && { locale: { emptyText: <Empty description={emptyText} /> } })}
      pagination={{
        current: page,
        pageSize,
        total: list.data?.total ?? 0,
        ...(showSizeChanger !== undefined && { showSizeChanger }),
        showTotal: (t) => `共 ${t} ${unit}`,
        onChange: onPage,
      }}
      {...table}
    />
  );
}
