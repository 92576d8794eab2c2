import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BIN = resolve(import.meta.dirname, '../../bin/nianbao.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** run the built command line (bin/nianbao.js) and capture its exit status and output */
export async function nianbao(...args: string[]): Promise<CliResult> {
  return nianbaoWith({}, ...args);
}

/** the same with extra environment variables (e.g. NIANBAO_TODAY) */
export async function nianbaoWith(env: Record<string, string>, ...args: string[]): Promise<CliResult> {
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
