/**
 * Which unit a code names, remembered by the process for the write path.
 *
 * Every submission names its unit by code, and looking it up was a statement of its own before the write's
 * transaction: under 32 concurrent submitters more than half of the hub's messages to PostgreSQL, each waking a
 * backend (which on a 2-core machine takes the hub's core), and an entity mapped for an id. A unit's identity — its
 * id, code, kind and parent — never changes once it exists: the API creates units, and never moves, recodes or
 * deletes one. So the answer for a code, once found, is kept for the life of the process (per database connection,
 * as the submission queue is). A code that names no unit is not remembered: the unit may be created next.
 *
 * What this assumes: nothing outside the API rewrites the unit table under a running hub. `npm run generate`
 * truncates and reloads it; run it with the hub stopped (it starts its own processes), as the README says.
 */
import { perConnection } from '../db/per-connection.js';
import { notFound } from '../graphql/errors.js';
import { normaliseUnitCode } from './unit-code.js';
import type { UnitLoaders } from './unit.loaders.js';

/** What the write path needs of a unit. */
export interface UnitIdentity {
  id: number;
  code: string;
}

/** More codes than this and the oldest looked up are forgotten (a national hierarchy has ~104,000 units). */
export const DIRECTORY_LIMIT = 50_000;

export class UnitDirectory {
  private readonly known = new Map<string, UnitIdentity>();
  /** Codes it had to look up (through a request's loader) so far. */
  lookups = 0;

  /** The unit a code names (normalised first), from memory or through the request's loader; null when none. */
  async find(loaders: UnitLoaders, code: string): Promise<UnitIdentity | null> {
    const normalised = normaliseUnitCode(code);
    const remembered = this.known.get(normalised);
    if (remembered) return remembered;
    this.lookups++;
    const unit = await loaders.byCode.load(normalised);
    if (!unit) return null;
    const identity = { id: unit.id, code: unit.code };
    if (this.known.size >= DIRECTORY_LIMIT) this.known.delete(this.known.keys().next().value!);
    this.known.set(normalised, identity);
    return identity;
  }

  /** Whether the directory remembers a (normalised) code. */
  remembers(code: string): boolean {
    return this.known.has(normaliseUnitCode(code));
  }

  /** Forgets every unit: for a process that reset its database's units under a running hub (tests). */
  forget(): void {
    this.known.clear();
  }

  /** `find`, or NOT_FOUND. */
  async require(loaders: UnitLoaders, code: string): Promise<UnitIdentity> {
    const unit = await this.find(loaders, code);
    if (!unit) throw notFound('unit', { unitCode: code });
    return unit;
  }
}

/** The directory of the process's database. */
export const unitDirectory = perConnection(() => new UnitDirectory());
