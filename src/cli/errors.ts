import { NianbaoError } from '../model/errors.js';
import { TextLimitError } from '../model/limits.js';
import { PoolError } from '../pool/pool.js';
import { namedMessages, ReadError } from '../read/errors.js';

/** one clear sentence in Chinese and English for any failure; never a stack trace */
export function describeError(e: unknown, file: string): { zh: string; en: string; code: string } {
  if (e instanceof ReadError) {
    // every message names the file, whichever reader wrote it
    return { ...namedMessages(e, file), code: e.code };
  }
  // the worker pool's limits (time, memory) and other errors that carry their own two sentences
  if (e instanceof PoolError) {
    const code = e.code === 'timeout' ? 'timeout' : e.code === 'memory' ? 'too-large' : 'corrupt';
    return { zh: `文件 ${file}：${e.zh}`, en: `File ${file}: ${e.en}`, code };
  }
  if (e instanceof TextLimitError) return { zh: `文件 ${file}：${e.zh}`, en: `File ${file}: ${e.en}`, code: e.code };
  const msg = e instanceof Error ? e.message : String(e);
  if (e instanceof RangeError || /memory|heap/i.test(msg)) {
    return {
      zh: `文件 ${file} 过于复杂，超出了处理能力的上限，无法读取。`,
      en: `File ${file} is too complex to read within the processing limits.`,
      code: 'too-large',
    };
  }
  return {
    zh: `文件 ${file} 无法读取：内容已损坏或格式不受支持（${msg.slice(0, 120)}）。`,
    en: `File ${file} could not be read: it is damaged or in an unsupported format (${msg.slice(0, 120)}).`,
    code: 'corrupt',
  };
}

/** bad input to a command (a file, an option): one sentence each in Chinese and English; exit 2 */
export class InputError extends NianbaoError {
  constructor(zh: string, en: string) {
    super('bad-input', zh, en);
    this.name = 'InputError';
  }
}

/** writes to stdout, waiting for the pipe to drain when it is full (back-pressure) */
export function out(s: string): Promise<void> {
  return new Promise((resolve) => {
    if (process.stdout.write(s)) resolve();
    else process.stdout.once('drain', () => resolve());
  });
}

/** why a file could not be read or written, in Chinese and English (never a bare ENOENT) */
export function fsReason(e: unknown): { zh: string; en: string } {
  const code = (e as { code?: string })?.code;
  switch (code) {
    case 'ENOENT':
      return { zh: '文件或所在目录不存在', en: 'no such file or directory' };
    case 'EACCES':
    case 'EPERM':
      return { zh: '没有访问权限', en: 'permission denied' };
    case 'EISDIR':
      return { zh: '这是一个目录，不是文件', en: 'it is a directory, not a file' };
    case 'ENOTDIR':
      return { zh: '路径中有一部分不是目录', en: 'a part of the path is not a directory' };
    case 'ENOSPC':
      return { zh: '磁盘空间不足', en: 'no space left on the device' };
    case 'EROFS':
      return { zh: '文件系统只读', en: 'the file system is read-only' };
    case 'EMFILE':
    case 'ENFILE':
      return { zh: '同时打开的文件过多', en: 'too many open files' };
    default: {
      const m = e instanceof Error ? e.message : String(e);
      return { zh: m, en: m };
    }
  }
}

/** reads a file named on the command line; InputError (exit 2) with the reason in Chinese and English */
export async function readInputFile(file: string, what = '文件', whatEn = 'file'): Promise<Buffer> {
  const { readFile } = await import('node:fs/promises');
  try {
    return await readFile(file);
  } catch (e) {
    const r = fsReason(e);
    throw new InputError(`无法读取${what} ${file}：${r.zh}。`, `cannot read the ${whatEn} ${file}: ${r.en}.`);
  }
}

/** writes an output file; InputError (exit 2) with the reason in Chinese and English */
export async function writeOutputFile(file: string, data: Uint8Array | string): Promise<void> {
  const { writeFile } = await import('node:fs/promises');
  try {
    await writeFile(file, data);
  } catch (e) {
    const r = fsReason(e);
    throw new InputError(`无法写入文件 ${file}：${r.zh}。`, `cannot write ${file}: ${r.en}.`);
  }
}
