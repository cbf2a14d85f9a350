/**
 * `npm run build`: compiles src, seeds and migrations to dist/ with SWC (the same options the tests use), in a
 * second or two, and copies the data files they read beside them. `npm start` and the benchmark run the compiled
 * JavaScript: compiling TypeScript on load kept a loader thread (its own heap, ~60 MB) in every hub process.
 * Plain JavaScript, so that it runs before anything is compiled. Types are checked by `npm run typecheck`.
 */
import { transformFile } from '@swc/core';
import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { swcOptions } from './swc-options.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist');
const SOURCES = ['src', 'seeds', 'migrations'];
const DATA = /\.(json|csv)$/;

const options = { ...swcOptions, sourceMaps: true };

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* files(full);
    else yield full;
  }
}

const started = Date.now();
rmSync(out, { recursive: true, force: true });
let compiled = 0;
let copied = 0;
await Promise.all(
  SOURCES.flatMap((source) => [...files(path.join(root, source))]).map(async (file) => {
    const target = path.join(out, path.relative(root, file));
    mkdirSync(path.dirname(target), { recursive: true });
    if (file.endsWith('.ts') && !file.endsWith('.d.ts')) {
      const { code, map } = await transformFile(file, { ...options, filename: file, outputPath: target.replace(/\.ts$/, '.js') });
      const js = target.replace(/\.ts$/, '.js');
      writeFileSync(js, `${code}\n//# sourceMappingURL=${path.basename(js)}.map\n`);
      if (map) writeFileSync(`${js}.map`, map);
      compiled++;
    } else if (DATA.test(file)) {
      copyFileSync(file, target);
      copied++;
    }
  }),
);
process.stderr.write(`build: ${compiled} files compiled, ${copied} data files copied to dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
