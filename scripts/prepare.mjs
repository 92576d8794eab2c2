#!/usr/bin/env node
/**
 * The build of npm's lifecycle scripts (package.json):
 *
 * - `prepare` (`node scripts/prepare.mjs`), run by `npm ci` / `npm install` in a clone: builds
 *   (`npm run build`: TypeScript to dist/, the web app to dist/web) when the build tools are
 *   installed; when they are not — `npm ci --omit=dev` — prints one line saying the build was
 *   skipped and succeeds, so that a production install does not fail on `tsc: not found`.
 *   Under `npm pack` / `npm publish` it does nothing: `prepack` has just built.
 * - `prepack` (`node scripts/prepare.mjs --pack`), run by `npm pack` / `npm publish`: empties
 *   dist/ and builds, so that the tarball holds a fresh build and a production install of it
 *   needs no build tool; fails when the build tools are missing.
 * - In an installed package (no src/: the tarball ships dist/ built) it does nothing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const pack = process.argv.includes('--pack');

/** the build tools, devDependencies all */
const TOOLS = ['typescript', 'vite', '@vitejs/plugin-react'];

/** whether a package is installed where Node would look for it from the project root */
function installed(name) {
  const dirs = createRequire(join(root, 'package.json')).resolve.paths(name) ?? [];
  return dirs.some((dir) => existsSync(join(dir, name, 'package.json')));
}

function build() {
  const npm = process.env.npm_execpath;
  const r = npm
    ? spawnSync(process.execPath, [npm, 'run', 'build'], { cwd: root, stdio: 'inherit' })
    : spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

// an installed package: built when it was packed
if (!existsSync(join(root, 'src'))) process.exit(0);

const missing = TOOLS.filter((t) => !installed(t));

if (pack) {
  if (missing.length > 0) {
    process.stderr.write(
      `错误：打包需要先构建，但缺少开发依赖 ${missing.join('、')}，请先运行 npm ci。 / Error: packing needs a build, and the dev dependencies ${missing.join(', ')} are missing; run npm ci first.\n`,
    );
    process.exit(1);
  }
  rmSync(join(root, 'dist'), { recursive: true, force: true });
  process.exit(build());
}

if (process.env.npm_command === 'pack' || process.env.npm_command === 'publish') process.exit(0);

if (missing.length > 0) {
  const built = existsSync(join(root, 'dist', 'cli', 'main.js'));
  process.stdout.write(
    built
      ? `nianbao：未安装开发依赖（${missing.join('、')}），跳过构建，使用已有的 dist/。 / nianbao: dev dependencies omitted (${missing.join(', ')}), build skipped; using the dist/ already there.\n`
      : `nianbao：未安装开发依赖（${missing.join('、')}），跳过构建；没有 dist/，命令需要先构建（npm ci）或安装打包好的 npm pack 文件。 / nianbao: dev dependencies omitted (${missing.join(', ')}), build skipped; there is no dist/: build with npm ci, or install the packed tarball.\n`,
  );
  process.exit(0);
}
process.exit(build());
