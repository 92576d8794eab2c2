/** Routes: the login page when logged out, else the pages inside the layout. */
import { Spin } from 'antd';
import { lazy, Suspense } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { useAuth } from './auth';
import { AppLayout } from './components/AppLayout';
import { LoginPage } from './pages/LoginPage';

const HomePage = lazy(() => import('./pages/HomePage'));
const CheckPage = lazy(() => import('./pages/CheckPage'));
const CasesPage = lazy(() => import('./pages/CasesPage'));
const CaseDetailPage = lazy(() => import('./pages/CaseDetailPage'));
const CompilePage = lazy(() => import('./pages/CompilePage'));
const LibraryPage = lazy(() => import('./pages/LibraryPage'));
const ReportPage = lazy(() => import('./pages/ReportPage'));
const UsersPage = lazy(() => import('./pages/UsersPage'));
const HolidaysPage = lazy(() => import('./pages/HolidaysPage'));
const NoticeSettingsPage = lazy(() => import('./pages/NoticeSettingsPage'));
const DirectoryPage = lazy(() => import('./pages/supervise/DirectoryPage'));
const IntakePage = lazy(() => import('./pages/supervise/IntakePage'));
const StatusPage = lazy(() => import('./pages/supervise/StatusPage'));
const RollupPage = lazy(() => import('./pages/supervise/RollupPage'));
const ScoresPage = lazy(() => import('./pages/supervise/ScoresPage'));
const CopiesPage = lazy(() => import('./pages/supervise/CopiesPage'));
const SettingsPage = lazy(() => import('./pages/supervise/SettingsPage'));

export function Loading() {
  return (
    <div className="nb-loading">
      <Spin size="large" />
    </div>
  );
}

export function App() {
  const { me, can } = useAuth();
  const location = useLocation();
  if (me === undefined) return <Loading />;
  if (me === null) {
    return (
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route path="*" element={<Navigate to="/login" replace state={{ from: location.pathname + location.search }} />} />
      </Routes>
    );
  }
  return (
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
  );
}
