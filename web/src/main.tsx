/**
 * Entry point: the session and the router. antd (in Chinese, with the theme: theme.tsx) comes with
 * the frame of the pages (AppLayout), loaded once logged in, so that the login page loads none of it.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter, RouterProvider } from 'react-router-dom';
import { App } from './App';
import { AuthProvider } from './auth';
import './styles.css';

// a page's code is loaded when it is opened: after a new build, the chunks an open tab knows of are
// gone, so a chunk that fails to load reloads the app (index.html names the new ones), once a minute
// at most; else the error shows (App.tsx, ChunkError)
window.addEventListener('vite:preloadError', (event) => {
  const last = Number(sessionStorage.getItem('nb-reloaded-at') ?? 0);
  if (Date.now() - last < 60_000) return;
  sessionStorage.setItem('nb-reloaded-at', String(Date.now()));
  event.preventDefault();
  window.location.reload();
});

// a data router (not a BrowserRouter), so that a page can hold a navigation back — the browser's Back
// button included — while it has unsaved changes (useLeaveGuard, react-router's useBlocker); the
// app's own routes stay in App.tsx
const router = createBrowserRouter([
  {
    path: '*',
    element: (
      <AuthProvider>
        <App />
      </AuthProvider>
    ),
  },
]);

const root = document.getElementById('root');
if (!root) throw new Error('#root missing');
createRoot(root).render(
  <StrictMode>
    <RouterProvider router={router} />
  </StrictMode>,
);
