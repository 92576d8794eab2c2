/**
 * One hostile request of each kind found by the attack on the demo server (issue 13), sent at once
 * to a real server (`nianbao serve` in its own process, with its worker pool) while a second client
 * (a thread of its own) measures `/api/health`: every hostile request gets its clear answer, and the
 * health check keeps answering: 99 probes in 100 under 200 ms, none held for a second. The payloads are made before the clock starts.
 */
import { readFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { startServerProcess } from '../browser/harness.js';
import { billionLaughsDocx, hugeXlsx } from '../fixtures/hostile/make-hostile.js';
import { sampleReport2021 } from '../helpers/arbitrary.js';
import { type Fixture, fixture, newCaseBody, PASSWORD } from './helpers.js';

const HOSTILE = join(import.meta.dirname, '..', 'fixtures', 'hostile');

class Http {
  cookie = '';
  csrf = '';
  constructor(readonly base: string) {}
  async login(username: string, password = PASSWORD) {
    const r = await fetch(`${this.base}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    if (r.status !== 200) throw new Error(`login ${username}: ${r.status}`);
    this.cookie = (r.headers.get('set-cookie') ?? '').split(';')[0];
    this.csrf = ((await r.json()) as { csrfToken: string }).csrfToken;
    return this;
  }
  async send(method: string, path: string, body?: unknown): Promise<{ status: number; body: { error?: { code: string } } | null }> {
    const headers: Record<string, string> = { cookie: this.cookie, 'x-csrf-token': this.csrf };
    let payload: BodyInit | undefined;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const r = await fetch(`${this.base}${path}`, { method, headers, body: payload });
    const text = await r.text();
    let parsed = null;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
    return { status: r.status, body: parsed };
  }
}

const upload = (bytes: Uint8Array, name: string) => {
  const f = new FormData();
  f.append('file', new Blob([bytes as Uint8Array<ArrayBuffer>]), name);
  return f;
};

/** distinct sentences, `chars` characters in all */
const text = (chars: number, tag: string) => {
  let out = '';
  for (let i = 0; out.length < chars; i++) out += `${tag}第${i}项工作按照要求落实到位，相关信息已经公开。`;
  return out.slice(0, chars);
};

let f: Fixture;
let server: Awaited<ReturnType<typeof startServerProcess>>;
let url = '';
beforeAll(async () => {
  f = await fixture('sqlite', { quiet: true });
  await f.db.destroy();
  server = await startServerProcess(['--db', f.target]);
  url = server.url;
}, 60_000);
afterAll(async () => {
  await server?.stop();
  await f?.cleanup();
});

/**
 * measures GET /api/health every 20 ms on a thread of its own until told to stop. The thread's first
 * fetch (undici loads and connects: ~80 ms on a quiet machine, over a second on a busy one) is made
 * and awaited before `ready`, and not measured: it is the probe's start-up, not the server's answer.
 */
function probe(base: string): { ready: Promise<void>; stop(): Promise<{ ms: number; at: number }[]> } {
  const w = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads');
     const latencies = []; let running = true;
     parentPort.on('message', () => { running = false; });
     (async () => {
       await (await fetch(workerData + '/api/health')).arrayBuffer();
       parentPort.postMessage('ready');
       const start = performance.now();
       while (running) {
         const t0 = performance.now();
         const r = await fetch(workerData + '/api/health');
         await r.arrayBuffer();
         latencies.push({ ms: performance.now() - t0, at: t0 - start });
         await new Promise((res) => setTimeout(res, 20));
       }
       parentPort.postMessage(latencies);
     })();`,
    { eval: true, workerData: base },
  );
  const ready = new Promise<void>((res) => w.once('message', () => res()));
  return {
    ready,
    stop: () =>
      new Promise<{ ms: number; at: number }[]>((res) => {
        w.once('message', (l: { ms: number; at: number }[]) => {
          void w.terminate();
          res(l);
        });
        w.postMessage('stop');
      }),
  };
}

describe('hostile requests while /api/health is measured', () => {
  it('each gets its answer; /api/health answers, 99% under 200 ms', async () => {
    const clerk = await new Http(url).login('clerk');
    const readonly = await new Http(url).login('readonly');
    const agency = '甲市一区人民政府';
    const base: Report = { ...sampleReport2021(), agency, year: 2024 };
    // last year's long report in the library: this year's is compared with it (雷同)
    const long = { overview: text(95_000, '甲'), problems: text(95_000, '乙'), other: '无。' };
    const stored = await clerk.send('POST', '/api/reports', { report: { ...base, sections: long } });
    expect(stored.status).toBe(201);
    // a long 年报编制 draft, compared with it on every GET (even a read-only user's)
    const draft = await clerk.send('PUT', '/api/compile/2025', {
      draft: { sections: { overview: text(99_000, '甲'), problems: text(99_000, '乙'), other: text(1_000, '丙') } },
    });
    expect(draft.status).toBe(200);

    // every payload made before the clock starts
    const pdfBombForm = upload(new Uint8Array(readFileSync(join(HOSTILE, 'flate-bomb.pdf'))), 'bomb.pdf');
    const rowsForm = upload(hugeXlsx(), 'rows.xlsx');
    const laughsForm = upload(billionLaughsDocx(), 'laughs.docx');
    const huge = { report: { ...base, sections: { overview: '政'.repeat(1_000_000), problems: null, other: null } }, format: 'pdf' };
    const loginBodies = Array.from({ length: 10_001 }, (_, i) => JSON.stringify({ username: `stranger${i}`, password: 'wrong-password' }));
    // the attackers' CPU is not the server's: this thread, which makes the hostile requests, runs at a
    // lower priority than the server and the probe (Linux: this thread only)
    try {
      setPriority(0, 10);
    } catch {
      // not allowed: as is
    }
    const measure = probe(url);
    await measure.ready;
    await new Promise((r) => setTimeout(r, 100));

    const hostile = {
      similarity: clerk.send('POST', '/api/check', { report: { ...base, year: 2025, sections: long } }),
      overLimit: clerk.send('POST', '/api/check', {
        report: { ...base, year: 2025, sections: { ...long, overview: text(150_000, '丁') } },
      }),
      compile: readonly.send('GET', '/api/compile/2025'),
      renderHuge: clerk.send('POST', '/api/render', huge),
      renderLong: clerk.send('POST', '/api/render', { report: { ...base, sections: long }, format: 'pdf' }),
      pdfBomb: clerk.send('POST', '/api/check', pdfBombForm),
      millionRows: clerk.send('POST', '/api/check', rowsForm),
      laughs: clerk.send('POST', '/api/check', laughsForm),
      logins: (async () => {
        const statuses = new Map<number, number>();
        for (let i = 0; i < 10_001; i += 20) {
          const batch = await Promise.all(
            Array.from({ length: Math.min(20, 10_001 - i) }, (_, k) =>
              fetch(`${url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: loginBodies[i + k] }).then(
                async (r) => {
                  await r.arrayBuffer();
                  return r.status;
                },
              ),
            ),
          );
          for (const s of batch) statuses.set(s, (statuses.get(s) ?? 0) + 1);
        }
        return statuses;
      })(),
      writers: Promise.all(Array.from({ length: 50 }, () => clerk.send('POST', '/api/cases', newCaseBody(undefined, '2026-06-01')))),
    };
    const [similarity, overLimit, compile, renderHuge, renderLong, pdfBomb, millionRows, laughs, logins, writers] = await Promise.all([
      hostile.similarity,
      hostile.overLimit,
      hostile.compile,
      hostile.renderHuge,
      hostile.renderLong,
      hostile.pdfBomb,
      hostile.millionRows,
      hostile.laughs,
      hostile.logins,
      hostile.writers,
    ]);
    const probes = await measure.stop();
    const latencies = probes.map((p) => p.ms);

    expect(similarity.status, JSON.stringify(similarity.body)).toBe(200);
    expect(overLimit.status, JSON.stringify(overLimit.body)).toBe(413);
    expect(compile.status, JSON.stringify(compile.body)).toBe(200);
    expect(renderHuge.status, JSON.stringify(renderHuge.body)).toBe(413);
    expect(renderHuge.body?.error?.code).toBe('too-large'); // refused by its size, before it is parsed
    expect(renderLong.status, JSON.stringify(renderLong.body)).toBe(200);
    expect(pdfBomb.status, JSON.stringify(pdfBomb.body)).toBe(422);
    expect(pdfBomb.body?.error?.code).toBe('too-large');
    expect(millionRows.status, JSON.stringify(millionRows.body)).toBe(422);
    expect(millionRows.body?.error?.code).toBe('too-large');
    expect(laughs.status, JSON.stringify(laughs.body)).toBe(422);
    // the throttle held: after the address's 30 failures every attempt was refused without a password check
    expect(logins.get(401)).toBe(30);
    expect(logins.get(429)).toBe(10_001 - 30);
    expect(writers.map((w) => w.status)).toEqual(Array(50).fill(201));
    const worst = [...probes].sort((a, b) => b.ms - a.ms);
    process.stderr.write(
      `/api/health during the hostile requests: ${probes.length} probes, slowest ${worst
        .slice(0, 3)
        .map((p) => `${p.ms.toFixed(0)} ms (at ${(p.at / 1000).toFixed(2)} s)`)
        .join(', ')}\n`,
    );
    expect(latencies.length).toBeGreaterThan(20);
    // the server keeps answering: 99 probes in 100 under 200 ms, and not one held for a second. On 2
    // cores, while the multi-megabyte bodies arrive together in the first second, a single probe can
    // take 200–350 ms (reading the bodies, the 50 registrations' writes; measured with --cpu-prof)
    expect(worst[Math.floor(latencies.length / 100)].ms).toBeLessThan(200);
    expect(worst[0].ms).toBeLessThan(1000);
  }, 180_000);
});
