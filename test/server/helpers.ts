/**
 * A small agency tree with one user of each kind, on a fresh database (SQLite, or PostgreSQL when
 * NIANBAO_TEST_PG is set), and a client that logs in and sends requests through `app.request()`.
 *
 *   省 (province, admin)
 *   ├── 甲市 (city, reviewer)
 *   │   ├── 甲市一区 (county, clerk, readonly)
 *   │   │   └── 甲市一区教育局 (department)
 *   │   └── 甲市二区 (county, clerk2)
 *   └── 乙市 (city, reviewerB)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type AppOptions, createApp } from '../../src/server/app.js';
import { type Agency, type AppDb, createAgency, createUser, openAppDb, type Role } from '../../src/store/app.js';
import { type Backend, freshTarget } from '../helpers/db.js';

export const SEEDS = join(import.meta.dirname, '..', '..', 'examples', 'demo');
export const seedText = (name = '001_bafcd2ea084bb138.txt') => readFileSync(join(SEEDS, name), 'utf8');
export const seedBytes = (name: string) => new Uint8Array(readFileSync(join(SEEDS, name)));

export const PASSWORD = 'password-123';

export interface Fixture {
  db: AppDb;
  /** the database file or URL (for a server started in another process) */
  target: string;
  app: ReturnType<typeof createApp>;
  agencies: Record<'province' | 'city' | 'county' | 'dept' | 'county2' | 'cityB', Agency>;
  /** a logged-in client of the user (one session per user and fixture; `login` for a new one) */
  client(username: string): Promise<Client>;
  cleanup(): Promise<void>;
}

export interface Res {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: test responses are inspected loosely
  body: any;
  bytes: Uint8Array;
}

export class Client {
  constructor(
    readonly app: Fixture['app'],
    readonly cookie: string | null,
    readonly csrf: string | null,
  ) {}

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Res> {
    const h: Record<string, string> = { ...headers };
    if (this.cookie) h.cookie = this.cookie;
    if (this.csrf && method !== 'GET' && !('x-csrf-token' in h)) h['x-csrf-token'] = this.csrf;
    let payload: BodyInit | undefined;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      h['content-type'] ??= 'application/json';
      payload = typeof body === 'string' ? body : JSON.stringify(body);
    }
    const res = await this.app.request(path, { method, headers: h, body: payload });
    const bytes = new Uint8Array(await res.arrayBuffer());
    let parsed: unknown = null;
    if ((res.headers.get('content-type') ?? '').includes('json') && bytes.length > 0) parsed = JSON.parse(new TextDecoder().decode(bytes));
    return { status: res.status, headers: res.headers, body: parsed, bytes };
  }

  get(path: string, headers?: Record<string, string>) {
    return this.request('GET', path, undefined, headers);
  }
  post(path: string, body?: unknown, headers?: Record<string, string>) {
    return this.request('POST', path, body, headers);
  }
  put(path: string, body?: unknown) {
    return this.request('PUT', path, body);
  }
  patch(path: string, body?: unknown) {
    return this.request('PATCH', path, body);
  }
  delete(path: string) {
    return this.request('DELETE', path);
  }
}

export async function login(app: Fixture['app'], username: string, password = PASSWORD): Promise<Client> {
  const res = await app.request('/api/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { csrfToken: string };
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
  return new Client(app, cookie, body.csrfToken);
}

export const USERS: { username: string; role: Role; agency: keyof Fixture['agencies'] }[] = [
  { username: 'admin', role: 'admin', agency: 'province' },
  { username: 'reviewer', role: 'reviewer', agency: 'city' },
  { username: 'clerk', role: 'clerk', agency: 'county' },
  { username: 'readonly', role: 'readonly', agency: 'county' },
  { username: 'clerk2', role: 'clerk', agency: 'county2' },
  { username: 'reviewerB', role: 'reviewer', agency: 'cityB' },
];

export async function fixture(backend: Backend = 'sqlite', opts: Omit<AppOptions, 'db'> = {}): Promise<Fixture> {
  const fresh = await freshTarget(backend);
  const db = await openAppDb(fresh.target);
  const add = (name: string, parentId: number | null, level: Agency['level']) => createAgency(db, { name, parentId, level }, 'test');
  const province = await add('示范省人民政府', null, 'province');
  const city = await add('甲市人民政府', province.id, 'city');
  const county = await add('甲市一区人民政府', city.id, 'county');
  const dept = await add('甲市一区教育局', county.id, 'department');
  const county2 = await add('甲市二区人民政府', city.id, 'county');
  const cityB = await add('乙市人民政府', province.id, 'city');
  const agencies = { province, city, county, dept, county2, cityB };
  await Promise.all(
    USERS.map((u) =>
      createUser(db, { username: u.username, name: u.username, password: PASSWORD, role: u.role, agencyId: agencies[u.agency].id }, 'test'),
    ),
  );
  const app = createApp({ db, quiet: true, ...opts });
  const clients = new Map<string, Promise<Client>>();
  return {
    db,
    target: fresh.target,
    app,
    agencies,
    client: (username) => {
      let c = clients.get(username);
      if (!c) {
        c = login(app, username);
        clients.set(username, c);
      }
      return c;
    },
    async cleanup() {
      await db.destroy();
      await fresh.cleanup();
    },
  };
}

/** a NewCase for the API (no registeredBy) */
export function newCaseBody(id: string | undefined, arrivedOn: string, over: Record<string, unknown> = {}) {
  return {
    ...(id ? { id } : {}),
    applicant: { name: '张三', identity: { type: '居民身份证', number: `ID-${id ?? arrivedOn}` }, contact: { phone: '13800000000' } },
    applicantType: 'naturalPerson',
    request: { description: '某小区规划许可证' },
    delivery: { form: '电子', channel: '电子邮件' },
    receipt: { channel: 'inPerson', arrivedOn },
    ...over,
  };
}
