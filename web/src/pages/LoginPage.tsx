/**
 * 登录. The first page loaded, so it is plain HTML and CSS (styles.css, "login"): no antd, which
 * comes with the frame of the pages once logged in (scripts/bundle-sizes.ts: its JavaScript stays
 * under 150 KB gzip, test/web-bundle.test.ts).
 */
import { type FormEvent, useId, useState } from 'react';
import { ApiError } from '../api';
import { useAuth } from '../auth';

function UserIcon() {
  return (
    <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">
      <path
        fill="currentColor"
        d="M12 12a5 5 0 1 0 0-10 5 5 0 0 0 0 10Zm0-8a3 3 0 1 1 0 6 3 3 0 0 1 0-6Zm0 9c-4.4 0-8 2.5-8 6v2h16v-2c0-3.5-3.6-6-8-6Zm-6 6c.3-1.9 2.8-4 6-4s5.7 2.1 6 4H6Z"
      />
    </svg>
  );
}

function LockIcon() {
  return (
    <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">
      <path
        fill="currentColor"
        d="M18 9h-1V7a5 5 0 0 0-10 0v2H6a2 2 0 0 0-2 2v9a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-9a2 2 0 0 0-2-2ZM9 7a3 3 0 0 1 6 0v2H9V7Zm9 13H6v-9h12v9Zm-6-2a2 2 0 1 0 0-4 2 2 0 0 0 0 4Z"
      />
    </svg>
  );
}

function EyeIcon({ open }: { open: boolean }) {
  return (
    <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">
      <path
        fill="currentColor"
        d="M12 5C6.5 5 2.7 9.3 1.5 12c1.2 2.7 5 7 10.5 7s9.3-4.3 10.5-7C21.3 9.3 17.5 5 12 5Zm0 12c-3.9 0-6.9-2.9-8.2-5 1.3-2.1 4.3-5 8.2-5s6.9 2.9 8.2 5c-1.3 2.1-4.3 5-8.2 5Zm0-8.5a3.5 3.5 0 1 0 0 7 3.5 3.5 0 0 0 0-7Z"
      />
      {!open && <path stroke="currentColor" strokeWidth="2" strokeLinecap="round" d="M4 4l16 16" />}
    </svg>
  );
}

export function LoginPage() {
  const { login } = useAuth();
  const id = useId();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [shown, setShown] = useState(false);
  const [missing, setMissing] = useState<{ username?: boolean; password?: boolean }>({});
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const m = { username: !username.trim(), password: !password };
    setMissing(m);
    if (m.username || m.password) {
      document.getElementById(m.username ? `${id}-username` : `${id}-password`)?.focus();
      return;
    }
    setLoading(true);
    setError(null);
    try {
      await login(username.trim(), password);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : '登录失败，请稍后重试。');
    } finally {
      setLoading(false);
    }
  }

  return (
    <main className="nb-login">
      <section className="nb-login-brand" aria-labelledby={`${id}-title`}>
        <div className="nb-login-mark" aria-hidden="true">
          年
        </div>
        <h1 id={`${id}-title`} className="nb-login-title">
          nianbao 年报
        </h1>
        <p className="nb-login-lead">政府信息公开工作年度报告的检查、依申请公开登记与年报编制。</p>
        <ul className="nb-login-points">
          <li>按国办公开办函〔2021〕30号格式逐项检查，定位到原文单元格</li>
          <li>依申请公开全程登记，工作日期限自动计算</li>
          <li>表二、表三由登记簿生成，勾稽关系自然成立</li>
        </ul>
      </section>
      <section className="nb-login-panel" aria-labelledby={`${id}-form-title`}>
        <div className="nb-login-card">
          <h2 id={`${id}-form-title`} className="nb-login-card-title">
            登录
          </h2>
          <p className="nb-login-hint">请使用本机关分配的账号登录。</p>
          {error && (
            <div className="nb-login-error" role="alert" data-testid="login-error">
              {error}
            </div>
          )}
          <form onSubmit={submit} noValidate>
            <div className="nb-login-field">
              <label htmlFor={`${id}-username`}>用户名</label>
              <span className={`nb-login-input${missing.username ? ' nb-login-input-invalid' : ''}`}>
                <UserIcon />
                <input
                  id={`${id}-username`}
                  name="username"
                  autoComplete="username"
                  // biome-ignore lint/a11y/noAutofocus: the only thing to do on this page
                  autoFocus
                  required
                  value={username}
                  onChange={(e) => setUsername(e.target.value)}
                  aria-invalid={missing.username || undefined}
                  aria-describedby={missing.username ? `${id}-username-error` : undefined}
                  data-testid="login-username"
                />
              </span>
              {missing.username && (
                <div id={`${id}-username-error`} className="nb-login-field-error">
                  请输入用户名
                </div>
              )}
            </div>
            <div className="nb-login-field">
              <label htmlFor={`${id}-password`}>密码</label>
              <span className={`nb-login-input${missing.password ? ' nb-login-input-invalid' : ''}`}>
                <LockIcon />
                <input
                  id={`${id}-password`}
                  name="password"
                  type={shown ? 'text' : 'password'}
                  autoComplete="current-password"
                  required
                  value={password}
                  onChange={(e) => setPassword(e.target.value)}
                  aria-invalid={missing.password || undefined}
                  aria-describedby={missing.password ? `${id}-password-error` : undefined}
                  data-testid="login-password"
                />
                <button
                  type="button"
                  className="nb-login-eye"
                  onClick={() => setShown(!shown)}
                  aria-label={shown ? '隐藏密码' : '显示密码'}
                  aria-pressed={shown}
                >
                  <EyeIcon open={shown} />
                </button>
              </span>
              {missing.password && (
                <div id={`${id}-password-error`} className="nb-login-field-error">
                  请输入密码
                </div>
              )}
            </div>
            <button type="submit" className="nb-login-submit" disabled={loading} aria-busy={loading} data-testid="login-submit">
              {loading && <span className="nb-spinner nb-spinner-small" aria-hidden="true" />}
              登录
            </button>
          </form>
        </div>
      </section>
    </main>
  );
}

export default LoginPage;
