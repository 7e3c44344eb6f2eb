/**
 * The org a report covers, chosen from the caller's scope as a tree; empty means the caller's own
 * org and those below it (the placeholder names it).
 */
import { TreeSelect } from 'antd';
import { useMemo } from 'react';
import { useNames, useOrgs } from '../api/hooks';
import { orgTreeData } from './org-tree';

export function ScopeOrgSelect({ value, onChange, testId }: { value?: string; onChange: (orgId?: string) => void; testId: string }) {
  const names = useNames();
  const orgs = useOrgs().data?.items ?? [];
  const tree = useMemo(() => orgTreeData(orgs), [orgs]);
  return (
    <TreeSelect
      allowClear
      placeholder={names.org(orgs[0]?.id) || '本单位及下级'}
      style={{ width: 240 }}
      treeDefaultExpandAll
      treeData={tree}
      value={value}
      onChange={(v?: string) => onChange(v)}
      id={testId}
      data-testid={testId}
    />
  );
}
