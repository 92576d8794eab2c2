/**
 * Load test of the HTTP server on loopback (autocannon): a server with the demo data is started in a
 * child process (the same source, under tsx), then for a fixed time each:
 *   - GET /api/reports/:id — the report page's data (a seed text report, and the 7-page Hongze PDF);
 *   - POST /api/check — a seed's text, pasted (read + extract + check + grids + source lines).
 * Prints a Markdown table of requests/s and latency. Only 127.0.0.1 is targeted; every run is
 * bounded in time. Run: npm run bench (or: npx tsx bench/server.bench.ts [seconds] [connections]).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

async function child(dbFile: string): Promise<void> {
  const { openAppDb } = await import('../src/store/app.js');
  const { loadDemo } = await import('../src/server/demo.js');
  const { startServer } = await import('../src/server/index.js');
  const db = await openAppDb(dbFile);
  await loadDemo(db, { today: '2026-11-20' });
  const server = await startServer({ db, host: '127.0.0.1', port: 0, quiet: true });
  process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
  process.on('SIGTERM', () => {
    server.close().then(() => db.destroy().then(() => process.exit(0)));
  });
}

interface Row {
  what: string;
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
}

function run(what: string, opts: autocannon.Options): Promise<Row> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, r) => {
      if (err) return reject(err);
      resolve({
        what,
        rps: r.requests.average,
        p50: r.latency.p50,
        p99: r.latency.p99,
        requests: r.requests.total,
        non2xx: r.non2xx,
        errors: r.errors + r.timeouts,
      });
    });
  });
}

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 10);
  const connections = Number(process.argv[3] ?? 10);
  const dir = mkdtempSync(join(tmpdir(), 'nianbao-bench-'));
  let server: ChildProcess | undefined;
  try {
    server = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--child', join(dir, 'bench.db')], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const url = await new Promise<string>((resolve, reject) => {
      const lines = createInterface({ input: server!.stdout! });
      lines.on('line', (l) => {
        if (l.startsWith('{')) resolve((JSON.parse(l) as { url: string }).url);
      });
      server!.once('exit', (code) => reject(new Error(`server exited (${code})`)));
    });
    const login = await fetch(`${url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'reviewer', password: 'reviewer-demo' }),
    });
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    const reports = (await (await fetch(`${url}/api/reports`, { headers: { cookie } })).json()) as {
      reports: { id: number; fileName: string }[];
    };
    const id = (name: string) => reports.reports.find((r) => r.fileName === name)!.id;
    const text = readFileSync(join(ROOT, 'examples', 'demo', '001_bafcd2ea084bb138.txt'), 'utf8');
    const textId = id('001_bafcd2ea084bb138.txt');
    const pdfId = id('huaian-hongze-2024.pdf');
    const size = async (path: string) => (await (await fetch(`${url}${path}`, { headers: { cookie } })).arrayBuffer()).byteLength;
    const sizes = { text: await size(`/api/reports/${textId}`), pdf: await size(`/api/reports/${pdfId}`) };
    const base = { connections, duration: seconds, headers: { cookie } };
    // warm up (JIT, caches)
    await run('warm-up', { ...base, url: `${url}/api/reports/${textId}`, duration: 2 });
    const rows: Row[] = [];
    rows.push(
      await run(`GET /api/reports/:id (seed text, ${(sizes.text / 1024).toFixed(0)} KB JSON)`, {
        ...base,
        url: `${url}/api/reports/${textId}`,
      }),
    );
    rows.push(
      await run(`GET /api/reports/:id (Hongze PDF, ${(sizes.pdf / 1024).toFixed(0)} KB JSON)`, {
        ...base,
        url: `${url}/api/reports/${pdfId}`,
      }),
    );
    rows.push(
      await run(`POST /api/check (seed text, ${(Buffer.byteLength(text) / 1024).toFixed(1)} KB pasted)`, {
        ...base,
        url: `${url}/api/check`,
        method: 'POST',
        headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
        body: JSON.stringify({ text, filename: 'seed.txt' }),
      }),
    );
    console.log(
      `server: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), Node ${process.version}; ${connections} connections, ${seconds} s each, loopback`,
    );
    console.log('| request | requests/s | p50 latency | p99 latency | requests | non-2xx | errors |');
    console.log('|---|---|---|---|---|---|---|');
    for (const r of rows) {
      console.log(`| ${r.what} | ${r.rps.toFixed(0)} | ${r.p50} ms | ${r.p99} ms | ${r.requests} | ${r.non2xx} | ${r.errors} |`);
    }
  } finally {
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((r) => server!.once('exit', r));
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') await child(process.argv[3]);
else await main();
