// Which Chromium a browser suite drives (playwright-core, never a downloaded browser): `CMS_CHROMIUM_PATH`,
// then Debian's `/usr/bin/chromium`. Without one, a suite is skipped on a developer's machine (so a fresh
// clone's `pnpm test` passes) and fails under `CI=true` (CI installs the browser: a skip there would hide
// a broken suite).
import { existsSync } from 'node:fs';

export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';

/** Flags for a headless Chromium on a closed network (no background traffic, no sandbox in containers). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export type ChromiumLookup =
  | { found: true; executablePath: string }
  | { found: false /** The one line to print: what was skipped, why, and how to run it. */; skipLine: string };

export interface ChromiumLookupOptions {
  env?: NodeJS.ProcessEnv;
  exists?: (path: string) => boolean;
}

/** Whether `CI` is set the way CI services set it (`true`, `1`, …), not `false`/`0`/empty. */
export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.CI?.trim().toLowerCase();
  return value !== undefined && value !== '' && value !== 'false' && value !== '0';
}

/**
 * Finds Chromium for the browser suite `suite`. Throws when `CMS_CHROMIUM_PATH` names a file that does not
 * exist (a setting that is wrong is never a reason to skip), and under `CI=true` when there is no browser.
 */
export function findChromium(suite: string, options: ChromiumLookupOptions = {}): ChromiumLookup {
  const env = options.env ?? process.env;
  const exists = options.exists ?? existsSync;
  const configured = env.CMS_CHROMIUM_PATH?.trim();
  if (configured) {
    if (exists(configured)) return { found: true, executablePath: configured };
    throw new Error(
      `${suite}: CMS_CHROMIUM_PATH=${configured} does not exist; point it at a Chromium executable or unset it.`,
    );
  }
  if (exists(DEFAULT_CHROMIUM_PATH)) return { found: true, executablePath: DEFAULT_CHROMIUM_PATH };
  const how = `install it (apt-get install -y chromium) or set CMS_CHROMIUM_PATH to a Chromium executable`;
  if (isCi(env)) {
    throw new Error(
      `${suite}: no Chromium (CMS_CHROMIUM_PATH is unset and ${DEFAULT_CHROMIUM_PATH} is missing); under CI=true a missing browser fails the run: ${how}.`,
    );
  }
  return {
    found: false,
    skipLine: `skipped ${suite}: no Chromium (CMS_CHROMIUM_PATH unset, ${DEFAULT_CHROMIUM_PATH} missing); to run it, ${how}.`,
  };
}
