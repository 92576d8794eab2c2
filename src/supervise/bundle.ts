/**
 * The files of a bulk intake: a ZIP (uploaded in the web app or given to `nianbao import`), a folder
 * (recursively), or single files. Only the kinds the readers take are kept (others are listed as
 * skipped); a ZIP inside a ZIP is skipped. ZIP member names written by Chinese Windows (GBK, without
 * the UTF-8 flag) are decoded as GB18030. The ZIP goes through the readers' own safe unzip (declared
 * sizes and compression ratios checked before anything is inflated, output counted as it inflates).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { NianbaoError } from '../model/errors.js';
import { ReadError } from '../read/errors.js';
import { openZip } from '../read/zip.js';

export interface BundleFile {
  /** the path inside the ZIP or folder, '/'-separated */
  name: string;
  /** the bytes, read (or inflated) when asked: a bundle of 15,000 reports is never all in memory */
  load(): Promise<Uint8Array>;
}

/** the kinds of report a bundle may hold */
export const REPORT_FILE = /\.(pdf|docx|doc|xlsx|html?|md|markdown|txt|json)$/i;
/** at most this many files in one intake */
export const MAX_BUNDLE_FILES = 20_000;

export class BundleError extends NianbaoError {
  constructor(code: 'too-large' | 'corrupt' | 'not-found' | 'bad-input', zh: string, en: string) {
    super(code, zh, en);
    this.name = 'BundleError';
  }
}

const gb18030 = new TextDecoder('gb18030');

function memberName(name: string, flags: number): string {
  if (flags & 0x800 || !/[\u0080-\u00ff]/.test(name)) return name;
  // decoded as Latin-1 by the ZIP reader: the bytes back, read as GB18030
  const bytes = Uint8Array.from(name, (c) => c.charCodeAt(0) & 0xff);
  return gb18030.decode(bytes);
}

function skippable(name: string): boolean {
  const base = name.split('/').pop() ?? '';
  return name.endsWith('/') || name.startsWith('__MACOSX/') || base.startsWith('.') || base.startsWith('~$') || base === 'Thumbs.db';
}

/** the report files of a ZIP, and the names of the members left out */
export function filesFromZip(bytes: Uint8Array, zipName: string): { files: BundleFile[]; skipped: string[] } {
  let zip: ReturnType<typeof openZip>;
  try {
    zip = openZip(bytes, zipName, 'docx');
  } catch (e) {
    if (e instanceof ReadError && e.code === 'zip-bomb') {
      throw new BundleError('too-large', `压缩包 ${zipName} 解压后过大：${e.zh}`, `The ZIP ${zipName} is too large once unpacked: ${e.en}`);
    }
    throw new BundleError('corrupt', `文件 ${zipName} 不是有效的 ZIP 压缩包。`, `${zipName} is not a valid ZIP archive.`);
  }
  const files: BundleFile[] = [];
  const skipped: string[] = [];
  for (const e of zip.entries) {
    const name = memberName(e.name, e.flags);
    if (skippable(name)) continue;
    if (!REPORT_FILE.test(name)) {
      skipped.push(name);
      continue;
    }
    if (files.length >= MAX_BUNDLE_FILES) {
      throw new BundleError(
        'too-large',
        `压缩包 ${zipName} 中的文件超过 ${MAX_BUNDLE_FILES} 个，请分批导入。`,
        `The ZIP ${zipName} holds more than ${MAX_BUNDLE_FILES} files: import it in parts.`,
      );
    }
    files.push({
      name,
      load: async () => {
        try {
          return zip.read(e);
        } catch (err) {
          if (err instanceof ReadError && err.code === 'zip-bomb') {
            throw new BundleError(
              'too-large',
              `压缩包 ${zipName} 中的 ${name} 解压后过大。`,
              `${name} in the ZIP ${zipName} is too large once unpacked.`,
            );
          }
          throw new BundleError(
            'corrupt',
            `压缩包 ${zipName} 中的 ${name} 已损坏，无法解压。`,
            `${name} in the ZIP ${zipName} is damaged.`,
          );
        }
      },
    });
  }
  return { files, skipped };
}

const isZip = (name: string) => /\.zip$/i.test(name);

/** the report files of the paths given (folders recursively, ZIPs opened), in a stable order */
export async function filesFromPaths(paths: readonly string[]): Promise<{ files: BundleFile[]; skipped: string[] }> {
  const files: BundleFile[] = [];
  const skipped: string[] = [];
  const add = async (path: string, shown: string) => {
    let s: Awaited<ReturnType<typeof stat>>;
    try {
      s = await stat(path);
    } catch {
      throw new BundleError('not-found', `找不到 ${path}。`, `${path} does not exist.`);
    }
    if (s.isDirectory()) {
      const names = (await readdir(path)).sort();
      for (const n of names) {
        if (n.startsWith('.')) continue;
        await add(join(path, n), shown ? `${shown}/${n}` : n);
      }
      return;
    }
    const name = shown || basename(path);
    if (isZip(name)) {
      const inner = filesFromZip(new Uint8Array(await readFile(path)), name);
      for (const f of inner.files) files.push({ name: `${name}/${f.name}`, load: f.load });
      for (const k of inner.skipped) skipped.push(`${name}/${k}`);
    } else if (REPORT_FILE.test(name) && !skippable(name)) files.push({ name, load: async () => new Uint8Array(await readFile(path)) });
    else skipped.push(name);
    if (files.length > MAX_BUNDLE_FILES) {
      throw new BundleError(
        'too-large',
        `文件超过 ${MAX_BUNDLE_FILES} 个，请分批导入。`,
        `More than ${MAX_BUNDLE_FILES} files: import them in parts.`,
      );
    }
  };
  for (const p of paths) {
    const s = await stat(p).catch(() => null);
    await add(p, s?.isDirectory() ? '' : basename(p));
  }
  return { files, skipped };
}
