import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { api } from './client';
import type { Org, Page, User } from './types';

/** Users and orgs in the caller's scope, for names and pickers; cached for the session. */
export function useUsers() {
  return useQuery({ queryKey: ['users'], queryFn: () => api<Page<User>>('/users'), staleTime: 5 * 60_000 });
}

export function useOrgs() {
  return useQuery({ queryKey: ['orgs'], queryFn: () => api<Page<Org>>('/orgs'), staleTime: 5 * 60_000 });
}

/** id → display name for users and orgs; unknown ids show as themselves. */
export function useNames() {
  const users = useUsers().data?.items;
  const orgs = useOrgs().data?.items;
  return useMemo(() => {
    const u = new Map((users ?? []).map((x) => [x.id, x.name]));
    const o = new Map((orgs ?? []).map((x) => [x.id, x.name]));
    return {
      user: (id: string | null | undefined) => (id ? (u.get(id) ?? (id === 'system' ? '系统' : id)) : ''),
      org: (id: string | null | undefined) => (id ? (o.get(id) ?? id) : ''),
      users: users ?? [],
      orgs: orgs ?? [],
    };
  }, [users, orgs]);
}
