/**
 * Unsaved changes are not lost without a word: while `when` holds, reloading or closing the page
 * asks first (the browser's own `beforeunload` prompt), and so does going to another page of the app
 * (the menu, a link, a `navigate`) or back and forward in the browser's history, with a confirmation
 * to leave or stay (react-router's `useBlocker`; the app runs on a data router for it, main.tsx).
 * A navigation the page itself has asked about (another year in its URL) goes through `bypass`.
 */
import { App, type ButtonProps } from 'antd';
import { useCallback, useEffect, useRef } from 'react';
import { useBlocker } from 'react-router-dom';

/** returns `bypass`: runs a navigation the page has already asked about, without asking again */
export function useLeaveGuard(when: boolean, what = '有未保存的修改'): (go: () => void) => void {
  const { modal } = App.useApp();
  const passing = useRef(false);
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) =>
      when && !passing.current && currentLocation.pathname + currentLocation.search !== nextLocation.pathname + nextLocation.search,
  );

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

  // a held navigation: ask once; 离开 lets it go on, 留在本页 drops it
  const held = useRef(blocker);
  held.current = blocker;
  useEffect(() => {
    if (blocker.state !== 'blocked') return;
    const ask = modal.confirm({
      title: `${what}，确定离开本页吗？`,
      content: '离开后，未保存的修改将会丢失。',
      okText: '离开',
      cancelText: '留在本页',
      okButtonProps: { danger: true, 'data-testid': 'leave-confirm' } as ButtonProps,
      cancelButtonProps: { 'data-testid': 'leave-cancel' } as ButtonProps,
      onOk: () => held.current.proceed?.(),
      onCancel: () => held.current.reset?.(),
    });
    return () => ask.destroy();
  }, [blocker.state, modal, what]);

  return useCallback((go: () => void) => {
    passing.current = true;
    try {
      go();
    } finally {
      passing.current = false;
    }
  }, []);
}
