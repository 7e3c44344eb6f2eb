import { CSP_NONCE } from './csp';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider, Spin } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import { z } from 'zod';
import { AuthProvider, useAuth } from './auth/context';
import { Shell } from './components/shell';
import LoginPage from './pages/login';
import { SCREENS } from './routes';

dayjs.locale('zh-cn');
// zod compiles parsers with `new Function` unless told not to: the CSP has no unsafe-eval.
z.config({ jitless: true });

const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: (n, err) => n < 1 && !(err as { status?: number }).status, refetchOnWindowFocus: false } },
});

function Screens() {
  const { token, loading } = useAuth();
  const location = useLocation();
  if (!token) return location.pathname === '/login' ? <LoginPage /> : <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  if (loading) return <Spin style={{ margin: 48 }} />;
  return (
    <Shell>
      <Routes>
        {SCREENS.map(({ path, page: Page, props }) => (
          <Route key={path} path={path} element={<Page {...props} />} />
        ))}
        <Route path="/login" element={<Navigate to="/" replace />} />
        <Route path="*" element={<div data-testid="not-found">未找到该页面</div>} />
      </Routes>
    </Shell>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ConfigProvider locale={zhCN} csp={{ nonce: CSP_NONCE }} theme={{ token: { colorPrimary: '#c0392b', borderRadius: 4 } }}>
      <AntApp>
        <QueryClientProvider client={queryClient}>
          <BrowserRouter basename="/console">
            <AuthProvider>
              <Suspense fallback={<Spin style={{ margin: 48 }} />}>
                <Screens />
              </Suspense>
            </AuthProvider>
          </BrowserRouter>
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  </StrictMode>,
);
