/**
 * Running the command line in tests. `nianbao(...)` calls `main(argv)` of the sources in this
 * process with its output captured — fast, and the logic under test is the same; work the CLI
 * hands to worker threads (several files at once) and what only a process shows (the `bin` entry,
 * exit status of a real process, signals) go through `nianbaoProcess(...)`, which runs the built
 * `bin/nianbao.js` (`npm test` builds first).
 */
import { execFile } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BIN = resolve(import.meta.dirname, '../../bin/nianbao.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** the command line in this process (see the module comment) */
export async function nianbao(...args: string[]): Promise<CliResult> {
  return nianbaoWith({}, ...args);
}

let running: Promise<unknown> = Promise.resolve();

/** options of `parse` and `check` that take a value */
const VALUE_OPTIONS = new Set(['--threads', '--format', '--previous', '--deadlines']);

/** `parse`/`check` of several files or a folder: the worker pool, so the built CLI in a process */
function bulk(args: string[]): boolean {
  if (args[0] !== 'parse' && args[0] !== 'check') return false;
  const inputs: string[] = [];
  for (let i = 1; i < args.length; i++) {
    if (VALUE_OPTIONS.has(args[i])) i++;
    else if (!args[i].startsWith('-')) inputs.push(args[i]);
  }
  return inputs.length > 1 || inputs.some((p) => existsSync(p) && statSync(p).isDirectory());
}

/** the same with extra environment variables (e.g. NIANBAO_TODAY), set while it runs */
export function nianbaoWith(env: Record<string, string>, ...args: string[]): Promise<CliResult> {
  if (bulk(args)) return nianbaoProcessWith(env, ...args);
  // output capture is process-wide: one command at a time
  const next = running.then(() => inProcess(env, args));
  running = next.catch(() => {});
  return next;
}

async function inProcess(env: Record<string, string>, args: string[]): Promise<CliResult> {
  const { main } = await import('../../src/cli/main.js');
  const out: string[] = [];
  const err: string[] = [];
  const stdout = process.stdout.write;
  const stderr = process.stderr.write;
  const saved: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(env)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  const capture = (into: string[]) =>
    ((chunk: string | Uint8Array, enc?: unknown, cb?: unknown) => {
      into.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      const done = typeof enc === 'function' ? enc : cb;
      if (typeof done === 'function') done();
      return true;
    }) as typeof process.stdout.write;
  process.stdout.write = capture(out);
  process.stderr.write = capture(err);
  let code: number;
  try {
    code = await main(args);
  } catch (e) {
    err.push(`错误：内部错误 / internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    code = 2;
  } finally {
    process.stdout.write = stdout;
    process.stderr.write = stderr;
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
  return { code, stdout: out.join(''), stderr: err.join('') };
}

/** the built command line (bin/nianbao.js) in a process of its own */
export async function nianbaoProcess(...args: string[]): Promise<CliResult> {
  return nianbaoProcessWith({}, ...args);
}

export async function nianbaoProcessWith(env: Record<string, string>, ...args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run('node', [BIN, ...args], {
      maxBuffer: 64 * 1024 * 1024,
      timeout: 120_000,
      env: { ...process.env, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}
