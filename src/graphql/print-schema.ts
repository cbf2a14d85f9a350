import { printSchema } from 'graphql';
import { buildHubSchema } from './schema.js';

/**
 * The schema as committed in schema.graphql. Not sorted: fields keep the order of the printed national tables,
 * which type-graphql reproduces deterministically from the catalogue.
 */
export async function printHubSchema(): Promise<string> {
  const schema = await buildHubSchema();
  return `# Generated from the code by \`npm run schema:emit\`; do not edit. A test fails when it drifts.\n\n${printSchema(schema)}\n`;
}
