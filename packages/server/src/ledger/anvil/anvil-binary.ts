// Locates the anvil executable shipped inside the npm platform package of @foundry-rs/anvil, so it can be
// spawned directly (a clean pid and signals, unlike the node wrapper in node_modules/.bin).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const PLATFORMS: Record<string, string> = { linux: 'linux', darwin: 'darwin', win32: 'win32' };
const ARCHS: Record<string, string> = { x64: 'amd64', arm64: 'arm64' };

/** Absolute path of the anvil binary for this platform; throws with a clear message when it is missing. */
export function anvilBinaryPath(): string {
  const platform = PLATFORMS[process.platform];
  const arch = ARCHS[process.arch];
  const pkg = `@foundry-rs/anvil-${platform}-${arch}`;
  const file = `${pkg}/bin/anvil${process.platform === 'win32' ? '.exe' : ''}`;
  const require = createRequire(import.meta.url);
  try {
    // The platform package is an optional dependency of @foundry-rs/anvil, so resolve it from there.
    const path = createRequire(require.resolve('@foundry-rs/anvil/package.json')).resolve(file);
    if (existsSync(path)) return path;
  } catch {
    // fall through to the error below
  }
  throw new Error(
    `The anvil binary (${pkg}) is not installed for ${process.platform}/${process.arch}; set CMS_CHAIN=external or CMS_CHAIN=disabled.`,
  );
}
