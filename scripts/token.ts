/**
 * Prints a bearer token for a unit and a role, signed with this checkout's key (AUTH_SECRET, or the secret file in
 * the data folder that the server uses too):
 *   npm run -s token -- --unit 441800 --role OVERSIGHT [--lifetime 8h]
 * `--unit '*'` names the whole hierarchy (only for ADMIN and OVERSIGHT tokens of the national office or tooling).
 */
import { parseArgs } from 'node:util';
import { ALL_UNITS, Role } from '../src/auth/role.js';
import { loadTokenKeys, signToken } from '../src/auth/tokens.js';
import { loadConfig } from '../src/config.js';
import { normaliseUnitCode } from '../src/units/unit-code.js';

const { values } = parseArgs({ options: { unit: { type: 'string' }, role: { type: 'string' }, lifetime: { type: 'string' } } });
const role = values.role?.toUpperCase() as Role | undefined;
if (!values.unit || !role || !Object.values(Role).includes(role)) {
  console.error(`usage: npm run -s token -- --unit CODE --role ${Object.values(Role).join('|')} [--lifetime 8h]`);
  process.exit(2);
}
const unitCode = values.unit === ALL_UNITS ? ALL_UNITS : normaliseUnitCode(values.unit);
const config = loadConfig();
console.log(await signToken(loadTokenKeys(config.auth), { unitCode, role }, values.lifetime ?? config.auth.tokenLifetime));
