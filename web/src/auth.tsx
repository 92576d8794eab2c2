/** The session: who is logged in, their agency and role, login and logout. */
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { ApiError, api, setCsrfToken, setNotifier, setUnauthorizedHandler } from './api';
import type { Agency, Me, Role, User } from './types';

interface AuthState {
  /** undefined while /api/me is loading, null when logged out */
  me: Me | null | undefined;
  login(username: string, password: string): Promise<void>;
  logout(): Promise<void>;
  /** the user's role is one of these */
  can(...roles: Role[]): boolean;
  agencies: Agency[];
  agencyName(id: Agency['id'] | null | undefined): string;
}

const AuthContext = createContext<AuthState | null>(null);

/** how the session tells the user of an error or warning */
export interface Feedback {
  error(title: string, description?: string): void;
  warning(title: string): void;
}

/** the antd App of the frame (AppLayout) while it is shown; else antd's static ones, loaded when needed (the login page loads no antd) */
let frameFeedback: Feedback | null = null;
export function setFeedback(f: Feedback | null): void {
  frameFeedback = f;
}
function staticFeedback(): Promise<Feedback> {
  return import('./feedback').then((m) => m.staticFeedback);
}
const feedback: Feedback = {
  error: (title, description) => {
    if (frameFeedback) frameFeedback.error(title, description);
    else void staticFeedback().then((f) => f.error(title, description));
  },
  // (the frame goes with the session: a warning of its end outlives it)
  warning: (title) => void staticFeedback().then((f) => f.warning(title)),
};

export function useAuth(): AuthState {
  const a = useContext(AuthContext);
  if (!a) throw new Error('useAuth outside AuthProvider');
  return a;
}

export function useUser(): User {
  const { me } = useAuth();
  if (!me) throw new Error('not logged in');
  return me.user;
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [agencies, setAgencies] = useState<Agency[]>([]);

  useEffect(() => {
    setNotifier({ error: (title, description) => feedback.error(title, description) });
    setUnauthorizedHandler(() => {
      setCsrfToken(null);
      setMe((prev) => {
        if (prev) feedback.warning('登录已过期，请重新登录。');
        return null;
      });
    });
  }, []);

  useEffect(() => {
    api
      .me()
      .then((m) => {
        setCsrfToken(m.csrfToken);
        setMe(m);
      })
      .catch((e: unknown) => {
        if (e instanceof ApiError && e.status !== 401) feedback.error(e.message);
        setMe(null);
      });
  }, []);

  useEffect(() => {
    if (!me) return;
    api
      .agencies()
      .then((r) => setAgencies(r.agencies))
      .catch(() => setAgencies(me.agency ? [me.agency] : []));
  }, [me]);

  const login = useCallback(async (username: string, password: string) => {
    const r = await api.login(username, password);
    setCsrfToken(r.csrfToken);
    // /api/me gives the agency as well
    try {
      const m = await api.me();
      setCsrfToken(m.csrfToken);
      setMe(m);
    } catch {
      setMe({ user: r.user, agency: r.agency ?? null, csrfToken: r.csrfToken });
    }
  }, []);

  const logout = useCallback(async () => {
    try {
      await api.logout();
    } finally {
      setCsrfToken(null);
      setMe(null);
    }
  }, []);

  const value = useMemo<AuthState>(
    () => ({
      me,
      login,
      logout,
      can: (...roles) => !!me && roles.includes(me.user.role),
      agencies,
      agencyName: (id) => {
        if (id === null || id === undefined) return '';
        const a =
          agencies.find((x) => String(x.id) === String(id)) ?? (me?.agency && String(me.agency.id) === String(id) ? me.agency : null);
        return a?.name ?? String(id);
      },
    }),
    [me, login, logout, agencies],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}
