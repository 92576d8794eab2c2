/**
 * Routes: the login page when logged out, else the pages inside the frame (AppLayout). Every page is
 * loaded when it is first opened, and the frame (with antd) once logged in: the login page needs
 * neither (scripts/bundle-sizes.ts lists the JavaScript each page loads).
 */
import { Component, lazy, type ReactNode, Suspense } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { useAuth } from './auth';

const AppLayout = lazy(() => import('./components/AppLayout'));
const LoginPage = lazy(() => import('./pages/LoginPage'));
const HomePage = lazy(() => import('./pages/HomePage'));
const CheckPage = lazy(() => import('./pages/CheckPage'));
const CasesPage = lazy(() => import('./pages/CasesPage'));
const CaseDetailPage = lazy(() => import('./pages/CaseDetailPage'));
const CompilePage = lazy(() => import('./pages/CompilePage'));
const LibraryPage = lazy(() => import('./pages/LibraryPage'));
const ReportPage = lazy(() => import('./pages/ReportPage'));
const UsersPage = lazy(() => import('./pages/UsersPage'));
const AgenciesPage = lazy(() => import('./pages/AgenciesPage'));
const HolidaysPage = lazy(() => import('./pages/HolidaysPage'));
const NoticeSettingsPage = lazy(() => import('./pages/NoticeSettingsPage'));
const DirectoryPage = lazy(() => import('./pages/supervise/DirectoryPage'));
const IntakePage = lazy(() => import('./pages/supervise/IntakePage'));
const StatusPage = lazy(() => import('./pages/supervise/StatusPage'));
const RollupPage = lazy(() => import('./pages/supervise/RollupPage'));
const ScoresPage = lazy(() => import('./pages/supervise/ScoresPage'));
const CopiesPage = lazy(() => import('./pages/supervise/CopiesPage'));
const SettingsPage = lazy(() => import('./pages/supervise/SettingsPage'));

/** while a page loads: a spinner of CSS (no antd before the frame) */
export function Loading() {
  return (
    <div className="nb-loading" role="status" aria-live="polite">
      <span className="nb-spinner" aria-hidden="true" />
      <span className="nb-sr-only">正在加载…</span>
    </div>
  );
}

/** a page whose code could not be loaded (the server went away, or a new build replaced it): says so, and offers to reload */
class ChunkError extends Component<{ children: ReactNode }, { failed: boolean }> {
  state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  render() {
    if (!this.state.failed) return this.props.children;
    return (
      <div className="nb-loading" role="alert">
        <div className="nb-chunk-error">
          <p>页面出错或未能加载：可能是网络中断，或系统刚刚更新。请重新加载。</p>
          <button type="button" className="nb-login-submit" onClick={() => window.location.reload()}>
            重新加载
          </button>
        </div>
      </div>
    );
  }
}

export function App() {
  return (
    <ChunkError>
      <Pages />
    </ChunkError>
  );
}

function Pages() {
  const { me, can } = useAuth();
  const location = useLocation();
  if (me === undefined) return <Loading />;
  if (me === null) {
    return (
      <Suspense fallback={<Loading />}>
        <Routes>
          <Route path="/login" element={<LoginPage />} />
          <Route path="*" element={<Navigate to="/login" replace state={{ from: location.pathname + location.search }} />} />
        </Routes>
      </Suspense>
    );
  }
  return (
    <Suspense fallback={<Loading />}>
      <AppLayout>
        <Suspense fallback={<Loading />}>
          <Routes>
            <Route path="/" element={<HomePage />} />
            <Route path="/check" element={<CheckPage />} />
            <Route path="/cases" element={<CasesPage />} />
            <Route path="/cases/:id" element={<CaseDetailPage />} />
            <Route path="/compile" element={<CompilePage />} />
            <Route path="/library" element={<LibraryPage />} />
            <Route path="/library/:id" element={<ReportPage />} />
            <Route path="/holidays" element={<HolidaysPage />} />
            <Route path="/notice-settings" element={can('admin') ? <NoticeSettingsPage /> : <Navigate to="/" replace />} />
            <Route path="/users" element={can('admin') ? <UsersPage /> : <Navigate to="/" replace />} />
            <Route path="/agencies" element={can('admin') ? <AgenciesPage /> : <Navigate to="/" replace />} />
            {can('admin', 'reviewer') && (
              <>
                <Route path="/supervise/directory" element={<DirectoryPage />} />
                <Route path="/supervise/intake" element={<IntakePage />} />
                <Route path="/supervise/status" element={<StatusPage />} />
                <Route path="/supervise/rollup" element={<RollupPage />} />
                <Route path="/supervise/scores" element={<ScoresPage />} />
                <Route path="/supervise/copies" element={<CopiesPage />} />
                <Route path="/supervise/settings" element={<SettingsPage />} />
              </>
            )}
            <Route path="/login" element={<Navigate to={(location.state as { from?: string } | null)?.from ?? '/'} replace />} />
            <Route path="*" element={<Navigate to="/" replace />} />
          </Routes>
        </Suspense>
      </AppLayout>
    </Suspense>
  );
}
