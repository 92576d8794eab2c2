/**
 * Unsaved changes are not lost without a word: while `when` holds, reloading or closing the page
 * asks first (the browser's own `beforeunload` prompt), and so does going to another page of the app
 * (the menu, a link, a `navigate`), with a confirmation to leave or stay.
 *
 * The app's router is a BrowserRouter, not a data router, so react-router's `useBlocker` is not
 * available: the guard wraps the router's navigator (its `push` and `replace`) while it holds. A
 * navigation the page itself has asked about (another year in its URL) goes through `bypass`.
 */
import { App, type ButtonProps } from 'antd';
import { useCallback, useContext, useEffect, useRef } from 'react';
import { UNSAFE_NavigationContext } from 'react-router-dom';

type Go = (...args: unknown[]) => void;

/** the path and search a navigation goes to */
function targetOf(to: unknown): string {
  if (typeof to === 'string') {
    const u = new URL(to, window.location.href);
    return u.pathname + u.search;
  }
  if (to && typeof to === 'object') {
    const t = to as { pathname?: unknown; search?: unknown };
    const pathname = typeof t.pathname === 'string' ? t.pathname : window.location.pathname;
    return pathname + (typeof t.search === 'string' ? t.search : '');
  }
  return window.location.pathname + window.location.search;
}

/** returns `bypass`: runs a navigation the page has already asked about, without asking again */
export function useLeaveGuard(when: boolean, what = '有未保存的修改'): (go: () => void) => void {
  const { navigator } = useContext(UNSAFE_NavigationContext);
  const { modal } = App.useApp();
  const asking = useRef(false);
  const passing = useRef(false);

  useEffect(() => {
    if (!when) return;
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      // older browsers show the prompt only with a return value
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [when]);

  useEffect(() => {
    if (!when) return;
    const nav = navigator as unknown as { push: Go; replace: Go };
    const push = nav.push;
    const replace = nav.replace;
    const guard =
      (go: Go): Go =>
      (...args) => {
        if (passing.current || targetOf(args[0]) === window.location.pathname + window.location.search) {
          go.apply(nav, args);
          return;
        }
        if (asking.current) return;
        asking.current = true;
        modal.confirm({
          title: `${what}，确定离开本页吗？`,
          content: '离开后，未保存的修改将会丢失。',
          okText: '离开',
          cancelText: '留在本页',
          okButtonProps: { danger: true, 'data-testid': 'leave-confirm' } as ButtonProps,
          cancelButtonProps: { 'data-testid': 'leave-cancel' } as ButtonProps,
          onOk: () => {
            asking.current = false;
            nav.push = push;
            nav.replace = replace;
            go.apply(nav, args);
          },
          onCancel: () => {
            asking.current = false;
          },
        });
      };
    nav.push = guard(push);
    nav.replace = guard(replace);
    return () => {
      nav.push = push;
      nav.replace = replace;
    };
  }, [when, navigator, modal, what]);

  return useCallback((go: () => void) => {
    passing.current = true;
    try {
      go();
    } finally {
      passing.current = false;
    }
  }, []);
}
