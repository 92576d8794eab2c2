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
