/**
 * `nianbao serve [--port N] [--host H] [--db FILE|URL] [--demo] [--quiet]`: the web app and its API.
 *
 * - `--port` (default 8787, or PORT), `--host` (default 127.0.0.1: only this machine; 0.0.0.0 to
 *   serve the network, best behind a TLS proxy), `--db` as for `nianbao register` (option,
 *   NIANBAO_DB, ./nianbao.db; a postgres:// URL for PostgreSQL).
 * - `--demo` loads the demo data into a database without agencies and prints the demo accounts.
 * - A database without users and without `--demo`: with NIANBAO_ADMIN_PASSWORD set, an
 *   administrator `admin` above every agency is created; otherwise a hint is printed.
 * - Ends on SIGINT/SIGTERM: stops listening, waits for open requests, closes the database.
 *
 * Exit status: 0 after a clean shutdown; 2 when the server cannot start (database, port).
 */

import { dateIn } from '../server/context.js';
import { DEMO_ACCOUNTS, loadDemo } from '../server/demo.js';
import { startServer } from '../server/index.js';
import { type AppDb, countUsers, createUser, openAppDb } from '../store/app.js';
import type { Db } from '../store/db.js';
import { dbFile, isPostgresUrl, redactUrl, StoreError } from '../store/db.js';
import { calendarFor } from '../store/holidays.js';

export interface ServeOptions {
  port?: string;
  host?: string;
  db?: string;
  demo?: boolean;
  quiet?: boolean;
}

function fail(zh: string, en: string): number {
  process.stderr.write(`错误：${zh}\nError: ${en}\n`);
  return 2;
}

export async function runServe(opts: ServeOptions): Promise<number> {
  const portText = opts.port ?? process.env.PORT ?? '8787';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 0 || port > 65535) {
    return fail(`端口“${portText}”无效，应为 0–65535 的整数。`, `Invalid port "${portText}" (0–65535).`);
  }
  const host = opts.host ?? '127.0.0.1';
  const target = dbFile(opts.db);
  let db: AppDb;
  try {
    db = await openAppDb(target);
  } catch (e) {
    if (e instanceof StoreError) return fail(e.zh, e.en);
    throw e;
  }
  const say = (s: string) => process.stdout.write(`${s}\n`);
  try {
    let demo = false;
    if (opts.demo) {
      const today = dateIn(new Date(), process.env.NIANBAO_TZ ?? 'Asia/Shanghai');
      const r = await loadDemo(db, { today });
      demo = true;
      if (r.loaded) say(`已载入演示数据：${r.agencies} 个机关、${r.reports} 份报告、${r.cases} 件依申请公开登记。`);
      else say('数据库中已有机关，未重复载入演示数据。');
      for (const n of r.notes) say(`  未载入：${n}`);
    } else if ((await countUsers(db)) === 0) {
      const password = process.env.NIANBAO_ADMIN_PASSWORD;
      if (password && password.length >= 8) {
        await createUser(db, { username: 'admin', name: '系统管理员', password, role: 'admin', agencyId: null }, 'serve');
        say('已创建管理员 admin（密码取自 NIANBAO_ADMIN_PASSWORD），请登录后建立机关和用户。');
      } else {
        say(
          '提示：数据库中还没有用户。用 --demo 载入演示数据，或设置 NIANBAO_ADMIN_PASSWORD（至少 8 个字符）后重新启动以创建管理员 admin。',
        );
      }
    }
    const server = await startServer({ db, port, host, quiet: opts.quiet });
    const where = isPostgresUrl(target) ? redactUrl(target) : target;
    say(`nianbao 已启动：${server.url}/ （数据库：${where}）`);
    say(`接口说明：${server.url}/openapi.json；按 Ctrl+C 停止。`);
    if (demo) {
      say('演示账号（用户名 / 密码）：');
      for (const a of DEMO_ACCOUNTS) say(`  ${a.username.padEnd(9)} / ${a.password.padEnd(14)} ${a.note}（${a.agency}）`);
      const todayYear = Number(dateIn(new Date(), process.env.NIANBAO_TZ ?? 'Asia/Shanghai').slice(0, 4));
      const cal = await calendarFor(db as unknown as Db);
      const provisional = [todayYear, todayYear + 1].filter((y) => cal.isProvisionalYear(y));
      if (provisional.length > 0) {
        say(
          `提示：${provisional.join('、')} 年的放假通知尚未录入，跨入该年的期限按放假办法暂定计算并标为“暂定”；管理员可在“放假安排”页录入通知。`,
        );
      }
    }
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        if (!opts.quiet) process.stderr.write('正在停止…\n');
        server.close().then(resolve, resolve);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    return 0;
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'EADDRINUSE') return fail(`端口 ${port} 已被占用。`, `Port ${port} is in use.`);
    if (code === 'EACCES') return fail(`没有权限监听 ${host}:${port}。`, `Not allowed to listen on ${host}:${port}.`);
    if (e instanceof StoreError) return fail(e.zh, e.en);
    throw e;
  } finally {
    await db.destroy();
  }
}
