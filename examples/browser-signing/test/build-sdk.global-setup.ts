// Finds Chromium (`CMS_CHROMIUM_PATH`, then /usr/bin/chromium): without one the suite is skipped with one
// line saying how to run it, or, under CI=true, the run fails. Then builds @cms/sdk's `dist` when it is
// missing or older than its sources. The example imports the SDK the way a user's bundler does, through
// the package's `exports`, which lead to `dist`; and the README's `pnpm install && pnpm test` builds
// nothing first.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
// By path: global setups load without the `source` condition, and @cms/server's dist may not be built.
import { findChromium } from '../../../packages/server/src/testing/browser.js';
import { sdkDir, sdkExportFiles } from './sdk-package.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The Chromium the suite drives, or null when it is skipped (never under CI). */
    chromiumPath: string | null;
  }
}

export default function setup(project: TestProject): void {
  const chromium = findChromium('the browser-signing example (examples/browser-signing)');
  project.provide('chromiumPath', chromium.found ? chromium.executablePath : null);
  if (!chromium.found) return void console.log(chromium.skipLine);
  buildSdkIfStale();
}

function buildSdkIfStale(): void {
  const outputs = sdkExportFiles();
  const missing = outputs.filter((file) => !existsSync(file));
  const oldestOutput = Math.min(...outputs.filter((file) => existsSync(file)).map(mtimeOf));
  const newestInput = Math.max(...sdkInputs().map(mtimeOf));
  if (missing.length === 0 && oldestOutput >= newestInput) return;

  console.log(
    `[example-browser-signing] building @cms/sdk (${missing.length ? `missing ${missing.map((f) => f.slice(sdkDir.length + 1)).join(', ')}` : 'dist older than its sources'})`,
  );
  const [command, ...args] = pnpmCommand();
  execFileSync(command!, [...args, '--filter', '@cms/sdk', 'build'], { cwd: join(sdkDir, '../..'), stdio: 'inherit' });
}

const mtimeOf = (file: string) => statSync(file).mtimeMs;

/** What the build reads: the sources (tests aside), the package manifest and the build configuration. */
function sdkInputs(): string[] {
  const sources = readdirSync(join(sdkDir, 'src'), { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.ts$/.test(file) && !/\.test\.ts$/.test(file))
    .map((file) => join(sdkDir, 'src', file));
  return [...sources, join(sdkDir, 'package.json'), join(sdkDir, 'tsup.config.ts')];
}

/** The pnpm running this test (`pnpm test`), else the one on PATH. */
function pnpmCommand(): string[] {
  const execPath = process.env.npm_execpath;
  if (!execPath || !/pnpm/.test(execPath)) return ['pnpm'];
  // pnpm may be a native executable (12.x here) or a script Node runs.
  return /\.[cm]?js$/.test(execPath) ? [process.execPath, execPath] : [execPath];
}
