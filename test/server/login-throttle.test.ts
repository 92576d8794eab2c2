/**
 * The login throttle (src/server/auth.ts `LoginThrottle`): per address, per (user name, address) and
 * a growing wait per user name; bounded tables that are never cleared. The clock is the app's `now`.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../src/server/app.js';
import { LoginThrottle } from '../../src/server/auth.js';
import { DEFAULT_LIMITS, type Limits } from '../../src/server/context.js';
import { loginThrottle } from '../../src/server/routes/session.js';
import { type Fixture, fixture, PASSWORD } from './helpers.js';

// a wrong password is refused at once (scrypt costs tens of milliseconds: 10 001 of them would take minutes);
// the right one still goes through the real check
vi.mock('../../src/store/app.js', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../../src/store/app.js')>();
  return {
    ...orig,
    verifyPassword: async (password: string, stored: string) =>
      password.startsWith('wrong') ? false : orig.verifyPassword(password, stored),
  };
});

const T0 = Date.parse('2026-06-15T02:00:00Z');
let clock = T0;
const now = () => new Date(clock);

interface Answer {
  status: number;
  retryAfter: string | null;
  // biome-ignore lint/suspicious/noExplicitAny: a JSON body
  body: any;
}

/** POST /api/login from `address` (the socket's address, as @hono/node-server gives it) */
async function loginFrom(app: Fixture['app'], address: string, username: string, password: string, headers: Record<string, string> = {}) {
  const res = await app.request(
    '/api/login',
    { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ username, password }) },
    { incoming: { socket: { remoteAddress: address, remotePort: 40000, remoteFamily: address.includes(':') ? 'IPv6' : 'IPv4' } } },
  );
  const text = await res.text();
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: text ? JSON.parse(text) : null } as Answer;
}

const sizes = (app: Fixture['app']) => {
  const t = loginThrottle(app)!;
  return [t.addresses.size, t.accounts.size, t.pairs.size];
};

describe('login throttle over HTTP', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await fixture('sqlite', { now });
  });
  afterAll(async () => {
    await f.cleanup();
  });

  it('10 001 failures under distinct user names from distinct addresses do not reset an account’s counter; the tables stay within their cap', async () => {
    clock = T0;
    const app = createApp({ db: f.db, quiet: true, now });
    const stranger = '198.51.100.7';
    for (let i = 0; i < 10; i++) expect((await loginFrom(app, stranger, 'clerk', `wrong-${i}`)).status).toBe(401);
    const locked = await loginFrom(app, stranger, 'clerk', PASSWORD);
    expect(locked.status).toBe(429);
    expect(locked.body.error).toMatchObject({ code: 'too-many-attempts', messageEn: expect.stringMatching(/try again/) });
    expect(locked.body.error.message).toMatch(/^登录失败次数过多/);
    expect(Number(locked.retryAfter)).toBe(15 * 60);

    // the old throttle cleared its whole map past 10 000 user names
    const cap = DEFAULT_LIMITS.loginTableSize;
    const statuses = new Map<number, number>();
    for (let i = 0; i < 10_001; i++) {
      clock = T0 + 60_000 + i; // 10 s in all: every entry stays within its window
      const ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
      const r = await loginFrom(app, ip, `user-${i}`, 'wrong-password');
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      if (i % 500 === 0 || i > 9_990) for (const n of sizes(app)) expect(n).toBeLessThanOrEqual(cap);
    }
    expect([...statuses.keys()].every((s) => s === 401 || s === 429)).toBe(true);
    expect(statuses.get(401)).toBeGreaterThanOrEqual(10_000);
    expect(sizes(app)).toEqual([cap, cap, cap]);

    // the stranger's counter for clerk is intact
    const still = await loginFrom(app, stranger, 'clerk', PASSWORD);
    expect(still.status).toBe(429);
    expect(still.body.error.details).toMatchObject({ reason: 'account' });
    // and the account is still known as attacked: a clean address waits (a second at 10 failures), then logs in
    const real = '203.0.113.20';
    const wait = await loginFrom(app, real, 'clerk', PASSWORD);
    expect(wait.status).toBe(429);
    expect(wait.body.error.details).toMatchObject({ reason: 'delay' });
    expect(wait.retryAfter).toBe('1');
    clock += 1000;
    expect((await loginFrom(app, real, 'clerk', PASSWORD)).status).toBe(200);
    for (const n of sizes(app)) expect(n).toBeLessThanOrEqual(cap);
  });

  it('one address hammering many user names is throttled (per address, before the accounts)', async () => {
    clock = T0;
    const app = createApp({ db: f.db, quiet: true, now });
    const ip = '192.0.2.50';
    const limit = DEFAULT_LIMITS.loginAddressAttempts;
    for (let i = 0; i < limit; i++) expect((await loginFrom(app, ip, `name-${i % 7}-${i}`, 'wrong')).status).toBe(401);
    const r = await loginFrom(app, ip, 'admin', PASSWORD);
    expect(r.status).toBe(429);
    expect(r.body.error.details).toMatchObject({ reason: 'address' });
    expect(Number(r.retryAfter)).toBe(15 * 60);
    // refusals are not counted, and are cheap: 100 more, all 429, the tables do not grow
    const before = sizes(app);
    for (let i = 0; i < 100; i++) expect((await loginFrom(app, ip, `more-${i}`, 'wrong')).status).toBe(429);
    expect(sizes(app)).toEqual(before);
    // another address is not affected
    expect((await loginFrom(app, '192.0.2.51', 'admin', PASSWORD)).status).toBe(200);
    // the window ends 15 minutes after the first failure
    clock = T0 + 15 * 60 * 1000;
    expect((await loginFrom(app, ip, 'admin', PASSWORD)).status).toBe(200);
  });

  it('a stranger hammering an account locks only their own address; the real user logs in from another address after the documented wait', async () => {
    clock = T0;
    const app = createApp({ db: f.db, quiet: true, now });
    // three stranger addresses, ten failures each at 'reviewer': 30 failures at the account (in less than its 15-minute window)
    for (let s = 1; s <= 3; s++) {
      for (let i = 0; i < 10; i++) {
        const r = await loginFrom(app, `198.51.100.${s}`, 'reviewer', `wrong-${i}`);
        if (r.status === 429) {
          // the account is hot: every address waits for its pass, the stranger's too
          expect(r.body.error.details.reason).toBe('delay');
          clock += Number(r.retryAfter) * 1000;
          i--;
          continue;
        }
        expect(r.status).toBe(401);
      }
      // that address is now refused at the account, even with the right password
      expect((await loginFrom(app, `198.51.100.${s}`, 'reviewer', PASSWORD)).body.error.details.reason).toBe('account');
    }
    // the real user, from an address that never failed: at most loginAccountMaxDelayMs
    const home = '203.0.113.9';
    const first = await loginFrom(app, home, 'reviewer', PASSWORD);
    expect(first.status).toBe(429);
    expect(first.body.error).toMatchObject({ code: 'too-many-attempts', details: { reason: 'delay' } });
    expect(first.body.error.message).toMatch(/该账号近期登录失败次数较多.*30 秒后再试。$/);
    expect(first.body.error.messageEn).toBe('This account has had many failed logins recently; try again in 30 seconds.');
    expect(first.retryAfter).toBe(String(DEFAULT_LIMITS.loginAccountMaxDelayMs / 1000));
    // strangers trying meanwhile (from new addresses) do not use up the real user's pass
    for (let s = 100; s < 110; s++) expect((await loginFrom(app, `198.51.100.${s}`, 'reviewer', 'wrong')).status).toBe(429);
    clock += 29_000;
    expect((await loginFrom(app, home, 'reviewer', PASSWORD)).status).toBe(429);
    clock += 1_000;
    const ok = await loginFrom(app, home, 'reviewer', PASSWORD);
    expect(ok.status).toBe(200);
    expect(ok.body.user.username).toBe('reviewer');
  });

  it('X-Forwarded-For is ignored unless the server is told it is behind a trusted proxy', async () => {
    clock = T0;
    const limits: Partial<Limits> = { loginAddressAttempts: 3 };
    // not trusted: a client varying X-Forwarded-For is still one address
    const direct = createApp({ db: f.db, quiet: true, now, limits });
    for (let i = 0; i < 3; i++)
      expect((await loginFrom(direct, '192.0.2.9', `x${i}`, 'wrong', { 'x-forwarded-for': `10.9.9.${i}` })).status).toBe(401);
    expect((await loginFrom(direct, '192.0.2.9', 'x9', 'wrong', { 'x-forwarded-for': '10.9.9.99' })).status).toBe(429);
    // behind one trusted proxy: the address it appended (the last entry) counts, not what the client wrote before it
    const proxied = createApp({ db: f.db, quiet: true, now, limits: { ...limits, trustProxy: 1 } });
    const proxy = '127.0.0.1';
    for (let i = 0; i < 3; i++)
      expect((await loginFrom(proxied, proxy, `y${i}`, 'wrong', { 'x-forwarded-for': `10.0.0.${i}, 192.0.2.77` })).status).toBe(401);
    expect((await loginFrom(proxied, proxy, 'y9', 'wrong', { 'x-forwarded-for': '10.0.0.99, 192.0.2.77' })).status).toBe(429);
    expect((await loginFrom(proxied, proxy, 'admin', PASSWORD, { 'x-forwarded-for': '192.0.2.78' })).status).toBe(200);
  });

  it('IPv6 addresses count per /64 network; IPv4-mapped addresses as IPv4', async () => {
    clock = T0;
    const app = createApp({ db: f.db, quiet: true, now, limits: { loginAddressAttempts: 2 } });
    expect((await loginFrom(app, '2001:db8:1:2::1', 'a', 'wrong')).status).toBe(401);
    expect((await loginFrom(app, '2001:db8:1:2:ffff::9', 'b', 'wrong')).status).toBe(401);
    expect((await loginFrom(app, '2001:0db8:0001:0002:1234:5678:9abc:def0', 'c', 'wrong')).status).toBe(429);
    expect((await loginFrom(app, '2001:db8:1:3::1', 'admin', PASSWORD)).status).toBe(200);
    expect((await loginFrom(app, '::ffff:192.0.2.1', 'a', 'wrong')).status).toBe(401);
    expect((await loginFrom(app, '192.0.2.1', 'b', 'wrong')).status).toBe(401);
    expect((await loginFrom(app, '::ffff:192.0.2.1', 'admin', PASSWORD)).status).toBe(429);
  });
});

describe('LoginThrottle', () => {
  const limits = { ...DEFAULT_LIMITS, loginTableSize: 100 };
  const fail = (t: LoginThrottle, user: string, address: string, at: number) => {
    const a = t.attempt(user, address, at);
    return a.ok ? 'counted' : a.reason;
  };

  it('never holds more than its cap, evicts only expired entries, and throttles the keys that overflow together', () => {
    // (no waits for hot accounts here: the user names that overflow share a counter that gets hot too)
    const t = new LoginThrottle({ ...limits, loginAccountAttempts: 1e9 });
    const W = limits.loginWindowMs;
    for (let i = 0; i < 10; i++) expect(fail(t, 'victim', '192.0.2.1', 0)).toBe('counted');
    expect(fail(t, 'victim', '192.0.2.1', 0)).toBe('account');
    for (let i = 0; i < 10_001; i++) {
      fail(t, `u${i}`, `10.0.${i >> 8}.${i & 255}`, 1000 + i);
      expect(t.addresses.size).toBeLessThanOrEqual(100);
      expect(t.accounts.size).toBeLessThanOrEqual(100);
      expect(t.pairs.size).toBeLessThanOrEqual(100);
    }
    expect(fail(t, 'victim', '192.0.2.1', 20_000)).toBe('account');
    // the overflowing addresses share one counter, throttled like an address
    expect(fail(t, 'someone', '10.99.0.1', 20_000)).toBe('address');
    // once the window of the oldest entries is over, they (and only they) are evicted
    expect(fail(t, 'victim', '192.0.2.1', W)).toBe('counted');
    expect(t.addresses.size).toBeLessThanOrEqual(100);
  });

  it('user names that overflow share one counter: it makes them wait, it never locks them', () => {
    const t = new LoginThrottle(limits);
    // 100 addresses × 30 failures, each at new names: the accounts table fills, the rest overflow
    let at = 0;
    for (let a = 0; a < 100; a++) for (let i = 0; i < 30; i++) fail(t, `n${a}-${i}`, `10.1.0.${a}`, at++);
    expect(t.accounts.size).toBe(100);
    // an untracked name from a clean address: a wait (the overflow counter is hot), then it may try
    const first = t.attempt('untracked', '192.0.2.200', at);
    expect(first).toMatchObject({ ok: false, reason: 'delay' });
    const wait = first.ok ? 0 : first.retryAfterMs;
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(limits.loginAccountMaxDelayMs);
    expect(t.attempt('untracked', '192.0.2.200', at + wait).ok).toBe(true);
  });

  it('the wait of a hot account doubles per failure up to the maximum', () => {
    const t = new LoginThrottle(DEFAULT_LIMITS);
    expect([10, 11, 12, 14, 15, 40, 1e6].map((n) => t.delayMs(n))).toEqual([1000, 2000, 4000, 16_000, 30_000, 30_000, 30_000]);
  });

  it('parallel attempts are counted before the password is checked', () => {
    const t = new LoginThrottle(DEFAULT_LIMITS);
    // ten admitted at once (none answered yet): the eleventh is refused
    const admitted = Array.from({ length: 10 }, () => t.attempt('clerk', '192.0.2.3', 0));
    expect(admitted.every((a) => a.ok)).toBe(true);
    expect(t.attempt('clerk', '192.0.2.3', 0)).toMatchObject({ ok: false, reason: 'account' });
    // a right password gives its attempt back
    const a = admitted[0];
    if (a.ok) t.succeeded(a.ticket);
    expect(t.attempt('clerk', '192.0.2.3', 0).ok).toBe(true);
  });
});
