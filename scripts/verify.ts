/**
 * `npm run verify`: recomputes every pre-aggregated rollup from the base reports and reports any difference
 * (exit code 1). Uses the hub's database (DATABASE_URL, or the embedded one in the data folder).
 */
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { createLogger } from '../src/logger.js';
import { verifyRollups } from '../src/rollups/verify.js';

const config = loadConfig();
const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
const database = await openDatabase(config, logger);
const started = Date.now();
try {
  const result = await verifyRollups(database.orm.em.fork(), (done, total, label) => {
    process.stderr.write(`verify: ${done}/${total} ${label} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.differences) {
    console.log(JSON.stringify(result.examples, null, 2));
    console.log(`verify: ${result.differences} of ${result.rowsChecked} rollup rows differ from the base reports (${seconds} s)`);
    process.exitCode = 1;
  } else {
    console.log(`verify: all ${result.rowsChecked} rollup rows match the base reports (${seconds} s)`);
  }
} finally {
  await database.close();
}
