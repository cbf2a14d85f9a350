/**
 * Prints the SQL column definitions of the figure cells, generated from the catalogue. Migrations are written once
 * and never edited, so a migration holds this output literally; rerun this when the national format changes and
 * paste the difference into a new migration.
 *   npm run figure-columns -- [--type integer|bigint] [--no-check]
 */
import { cells } from '../src/format/catalogue.js';

const countType = process.argv.includes('--type') ? process.argv[process.argv.indexOf('--type') + 1] : 'integer';
const check = !process.argv.includes('--no-check');
const amountType = countType === 'integer' ? 'numeric(18,4)' : 'numeric(24,4)';
for (const c of cells) {
  const type = c.kind === 'amount' ? amountType : countType;
  process.stdout.write(`  ${c.sqlColumn} ${type} not null default 0${check ? ` check (${c.sqlColumn} >= 0)` : ''},\n`);
}
