/**
 * Prints the schema built from the code into schema.graphql (`npm run schema:emit`), or with --check fails when
 * the committed file differs from what the code builds (`npm run schema:check`, run by CI and by a test).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../src/config.js';
import { printHubSchema } from '../src/graphql/print-schema.js';

const file = path.join(projectRoot, 'schema.graphql');
const printed = await printHubSchema();
if (process.argv.includes('--check')) {
  const committed = readFileSync(file, 'utf8');
  if (committed !== printed) {
    console.error('schema.graphql is out of date with the code: run `npm run schema:emit` and commit the result');
    process.exit(1);
  }
  console.log('schema.graphql matches the code');
} else {
  writeFileSync(file, printed);
  console.log(`wrote ${file}`);
}
