import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, UNAUTHENTICATED_EVENT } from '../api/client';
import type { Page, User } from '../api/types';
import { clearToken, getToken, setToken, subjectOf } from './session';

interface Auth {
  token: string | null;
  user: User | null;
  loading: boolean;
  login(token: string): void;
  logout(): void;
  hasRole(...roles: string[]): boolean;
}

const AuthContext = createContext<Auth | null>(null);

/** The signed-in user: the token's subject, looked up among the users in their own scope. */
export function AuthProvider({ children }: { children: ReactNode }) {
  const [token, setTok] = useState<string | null>(() => getToken());
  const qc = useQueryClient();
  const sub = token ? subjectOf(token) : null;
  const me = useQuery({
    queryKey: ['me', sub],
    enabled: !!token && !!sub,
    queryFn: async () => (await api<Page<User>>('/users', { token: token! })).items.find((u) => u.id === sub) ?? null,
    staleTime: Infinity,
  });
  const logout = useCallback(() => {
    clearToken();
    setTok(null);
    qc.clear();
  }, [qc]);
  useEffect(() => {
    const onUnauth = () => {
      setTok(null);
      qc.clear();
    };
    window.addEventListener(UNAUTHENTICATED_EVENT, onUnauth);
    return () => window.removeEventListener(UNAUTHENTICATED_EVENT, onUnauth);
  }, [qc]);
  const value = useMemo<Auth>(() => {
    const user: User | null = me.data ?? (sub ? { id: sub, name: sub, orgId: '', roles: [], personId: null, createdAt: '' } : null);
    return {
      token,
      user: token ? user : null,
      loading: !!token && me.isLoading,
      login(t) {
        qc.clear();
        setToken(t);
        setTok(t);
      },
      logout,
      hasRole: (...roles) => !!user && roles.some((r) => (user.roles as string[]).includes(r)),
    };
  }, [token, me.data, me.isLoading, sub, logout, qc]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const a = useContext(AuthContext);
  if (!a) throw new Error('useAuth outside AuthProvider');
  return a;
}
